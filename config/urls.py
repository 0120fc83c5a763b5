from django.contrib import admin
from django.urls import include, path

from certification.views import verification as verification_views
from config.api import api
from core.health import healthz
from shell import views as shell_views
from tasks import views as tasks_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("competitions/", include("competitions.urls")),
    path("certification/", include("certification.urls")),
    path("talentpool/", include("talentpool.urls")),
    path("tasks/<uuid:task_id>/", tasks_views.task_detail, name="task_detail"),
    # Certificate verification (issue 13): public, at the root so the QR codes' URLs stay short.
    path(".well-known/certificate-keys.json", verification_views.certificate_keys_json, name="certificate_keys_json"),
    path("verify/", verification_views.verify_page, name="verify_form"),
    path("verify/<path:text>", verification_views.verify_page, name="verify"),
    path("", shell_views.home, name="home"),
]
