"""Pages of the accounts app: sign-in (throttled by django-axes), my account, API tokens, people of my unit,
language switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.auth import signed_in_user
from accounts.forms import RevokeForm, TokenForm
from accounts.models import ApiToken, Language
from accounts.permissions import Action, require
from accounts.throttle import ADDRESS_THROTTLED
from core.errors import ValidationFailed, render_message
from core.lookup import get_or_404


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """What a throttled sign-in sees: the login page with a clear message (the username at this address, or this
    address for every username: accounts.throttle), HTTP 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if getattr(request, ADDRESS_THROTTLED, False):
        message = render_message("login.address_locked", {"minutes": minutes})
    else:
        message = render_message("login.locked", {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes})
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request, data=request.POST or None)
    return render(request, "accounts/login.html", {"form": form, "locked_message": message}, status=429)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    view = selectors.person_view(viewer=user, subject=user)
    return render(request, "accounts/profile.html", {"person": view})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    issued = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        require(user, Action.TOKEN_MANAGE, user)
        try:
            issued = services.token_create(
                actor=user, user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"],
                password=form.cleaned_data["password"],
            )
            form = TokenForm()
        except ValidationFailed as exc:
            for field, problems in exc.fields().items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
    return render(
        request, "accounts/tokens.html",
        {"form": form, "issued": issued, "tokens": selectors.tokens_of(viewer=user, owner=user),
         "revoke_form": RevokeForm()},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_or_404(ApiToken, pk=token_id)
    user = signed_in_user(request)
    require(user, Action.TOKEN_MANAGE, token)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.token_revoke(actor=user, token=token, reason=reason)
    messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """The people of the units one manages; numbers unmasked only where the role needs them."""
    viewer = signed_in_user(request)
    require(viewer, Action.MEMBERSHIP_MANAGE)
    found = selectors.people_page(viewer=viewer, query=request.GET.get("q", ""), page=request.GET.get("page", 1))
    return render(request, "accounts/people.html", {"found": found, "people": found.rows})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in person's choice is saved to their account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in Language.values:
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
            secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
        )
    return response
