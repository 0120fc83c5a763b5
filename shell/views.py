"""The home page: for a signed-in person, what is waiting for them, from every app that registered a provider;
for a logged-out visitor, the public front door (门户): the sections apps registered with
`shell.navigation.register_front_door` (competitions: current and past events with their public pages) and the
登录 link, which base.html puts in the header of every page a logged-out visitor sees."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shell.navigation import front_door, waiting_for


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "shell/front_door.html", {"sections": front_door()})
    return render(request, "shell/home.html", {"waiting": waiting_for(request.user)})
