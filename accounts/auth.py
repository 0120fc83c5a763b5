"""How the API knows who is calling: a bearer token (venue devices, integrations) or the signed-in page session
(with its CSRF check); `OPTIONAL_AUTH` adds the anonymous fallback for what anyone may read.

config/api.py makes `API_AUTH` the default of the one NinjaAPI; an app's router passes `auth=OPTIONAL_AUTH` on
its public endpoints. Endpoints read the caller with `signed_in_user(request)`, typed as accounts' User.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer, SessionAuth

from accounts.models import User
from accounts.permissions import grants_subquery, prime_grants
from accounts.services import token_authenticate
from core.errors import NotAuthenticated


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer jn_…`; a bad token is a 401 saying whether it is unknown, expired or revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        request.user = user
        if user.language:
            translation.activate(user.language)
        return user


class PageSessionAuth(SessionAuth):
    """The signed-in page session; unsafe methods must carry the CSRF token like a form does.

    Without a signed-in session this scheme simply does not apply (so an anonymous write is 401, not a CSRF 403).
    """

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class AccountBackend(ModelBackend):
    """Django's model backend, loading the signed-in user of a page session together with their grants (one
    query where there were two: `accounts.permissions.grants_subquery`)."""

    def get_user(self, user_id: Any) -> Any:
        user = User._default_manager.annotate(user_grants=grants_subquery("pk")).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        prime_grants(user, user.user_grants)
        return user


def _anonymous(request: HttpRequest) -> Any:
    """The last resort of optional authentication: anyone, as the anonymous user."""
    return AnonymousUser()


API_AUTH = [BearerTokenAuth(), PageSessionAuth()]
OPTIONAL_AUTH = [BearerTokenAuth(), PageSessionAuth(), _anonymous]


def signed_in_user(request: HttpRequest) -> User:
    """The caller as accounts' User; NotAuthenticated (401) when nobody is signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("not_authenticated", {}, "Please sign in first.")
    return cast(User, user)
