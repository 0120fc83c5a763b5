"""The home page: what is waiting for the person, from every app that registered a provider."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shell.navigation import waiting_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "shell/home.html", {"waiting": waiting_for(request.user)})
