"""The offline referee console (issue 11 item 1; DESIGN.md "Live scoring", offline referee console): a tablet page,
installable as a web app, that keeps taking marks without a network and sends them when it returns.

Decisions (DESIGN.md is silent on them):

- **A page of its own**, `/competitions/skills/<id>/console/`, beside the htmx marking page, not that page made
  offline-capable. The marking page answers each save with the server's cell (htmx), which has no meaning
  without a network; the console is driven by the tablet's queue instead (static/js/console.js), and the marking
  page stays the plain page that works without script. Both read the same thing the same way: the skill through
  `access.access_skill_for_marking` and the sheet through `selectors.marking_sheet`, so the referee sees only
  their group's workstations and their own aspects (DESIGN.md "Recusal without a leak"), never a second copy of
  the rules. Marks are sent to the JSON API (`POST /api/v1/competitions/skills/<id>/marks`, the page session with
  its CSRF token in `X-CSRFToken`), so each goes through `services.mark_record` and its idempotency check.
- **What the tablet keeps** (IndexedDB, one database per signed-in user, `skills-console-u<user id>`): each mark
  as it was typed, with the idempotency key generated when it was typed, written before any network attempt;
  and what is typed into a field but not yet saved (a draft), so a reload or a closed tab loses nothing. A mark's
  state: saved on the tablet → sent (tried, no answer yet) → confirmed (the API's 200/201) or refused (a 4xx with
  its error code and the message in the referee's language). A network failure or a 5xx leaves it queued and
  retried with backoff (1 s doubling to 30 s, and at once when the browser comes back online), with the same key
  every time, so a resend never duplicates and a lost reply never loses a mark. A 401 (the session ended) or a
  refused CSRF token is not a refusal of the mark: it waits, and the console asks the referee to sign in again.
  A refused mark stays on the tablet, shown with its reason, until the referee dismisses it. Typing a new value
  into a cell replaces a value of that cell never sent, never one that was sent (its fate is still asked).
- **What is cached** (Cache Storage, by the service worker): the console page of each skill the referee opened
  (the page carries their assignment: workstations, aspects, ranges, descriptors, their own values) and the CSS,
  JS, manifest and icons it uses, in a cache named by the worker's version and the user (`X-Console-User` on the
  page's answer). Never another referee's data: opening the console as someone else deletes the caches and the
  database of any other user, and signing out (from any page: the worker sees the sign-out's POST; on the
  console the page clears them itself first, asking when marks still wait) deletes the user's.
- **The service worker** (static/js/console-sw.js) is served from `/competitions/console-sw.js` with
  `Service-Worker-Allowed: /` and registered with scope `/`, so that it sees the sign-out's POST wherever it is
  made; it answers only the console pages (network first, the cached copy when the network is gone or slow) and
  the files it cached (network first), and lets every other request (the API included) go to the network
  untouched. Its version is a hash of itself and of the files it caches, so a change to any of them installs a
  new worker, which deletes the old caches.
- **The manifest** is per skill (`…/console/manifest.webmanifest`: the installed app opens that skill's
  console), read with the session (`crossorigin="use-credentials"`), and answers to the same access as the page.
  The service worker needs the referee role (it carries no data).

The Content-Security-Policy needs nothing more: `worker-src` and `manifest-src` fall back to `default-src 'self'`.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.auth import signed_in_user
from accounts.permissions import require
from competitions import access, selectors
from competitions.models import Status
from competitions.permissions import Action

USER_HEADER = "X-Console-User"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
WORKER = STATIC_DIR / "js" / "console-sw.js"
# What the page loads and the worker keeps; the worker's version follows their contents (module docstring).
SHELL_FILES = ("css/platform.css", "js/console.js", "vendor/htmx/htmx.min.js", "js/platform.js",
               "img/console-icon.svg", "img/console-192.png", "img/console-512.png")


@cache
def worker_version() -> str:
    """A hash of the service worker and of the files it caches: a new one installs a new worker."""
    digest = hashlib.sha256(WORKER.read_bytes())
    for name in SHELL_FILES:
        digest.update((STATIC_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


@login_required
@require_GET
def console(request: HttpRequest, skill_id: int) -> HttpResponse:
    """The referee's console of one skill: their workstations by 工位号 and their aspects, from the marking page's
    selector (module docstring); the tablet's script takes over from there."""
    referee = signed_in_user(request)
    skill = access.access_skill_for_marking(referee, skill_id)
    sheet = selectors.marking_sheet(referee=referee, skill=skill)
    aspects = {a.id: a for a in sheet.aspects}
    rows = [(w, [(aspects[c.aspect_id], c) for c in w.cells]) for w in sheet.workstations]
    response = render(request, "competitions/console.html", {
        "sheet": sheet, "rows": rows, "marking_open": sheet.status == Status.MARKING,
        "rendered_at": timezone.now().isoformat(),
        "shell": [static(name) for name in SHELL_FILES], "script_url": static("js/console.js"),
        "icon_url": static("img/console-icon.svg"), "touch_icon_url": static("img/console-192.png"),
        "worker_url": reverse("competitions:console_worker"),
        "manifest_url": reverse("competitions:console_manifest", args=[skill.pk]),
        "api_url": f"/api/v1/competitions/skills/{skill.pk}/marks",
    })
    response[USER_HEADER] = str(referee.pk)  # the worker files the page under its user (module docstring)
    return response


@login_required
@require_GET
def console_worker(request: HttpRequest) -> HttpResponse:
    """The service worker's script, with its version (module docstring); for referees only."""
    require(signed_in_user(request), Action.MARK_ENTER)
    body = f'self.CONSOLE_VERSION = "{worker_version()}";\n' + WORKER.read_text(encoding="utf-8")
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def console_manifest(request: HttpRequest, skill_id: int) -> HttpResponse:
    """The web app manifest of one skill's console (module docstring)."""
    skill = access.access_skill_for_marking(signed_in_user(request), skill_id)
    start = reverse("competitions:console", args=[skill.pk])
    manifest = {
        "id": start, "name": _("技能山东 裁判评分"), "short_name": _("裁判评分"),
        "description": _("裁判评分终端：断网时也能录入，联网后自动发送。"),
        "start_url": start, "scope": "/", "display": "standalone", "orientation": "any",
        "lang": request.LANGUAGE_CODE, "background_color": "#f4f6f9", "theme_color": "#b71c1c",
        "icons": [
            {"src": static("img/console-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/console-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/console-icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json")
