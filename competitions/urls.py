from django.urls import path

from competitions import views

app_name = "competitions"

urlpatterns = [
    path("", views.events, name="events"),
    path("mine/", views.mine, name="mine"),
    path("events/<int:event_id>/results/", views.results, name="results"),
    path("events/<int:event_id>/manage/", views.event_manage, name="event_manage"),
    path("events/<int:event_id>/transition/", views.event_transition, name="event_transition"),
    path("skills/<int:skill_id>/transition/", views.skill_transition, name="skill_transition"),
    path("skills/<int:skill_id>/marking/", views.marking, name="marking"),
    path("skills/<int:skill_id>/sheets/", views.sheets, name="sheets"),
]
