"""API tokens: how a token looks, how it is hashed and checked (pure functions, no I/O).

A token is `jn_` + 43 URL-safe characters (256 random bits). Only its SHA-256 is stored: a token has enough
entropy that a slow hash adds nothing, and a fast one lets every request find its row by an indexed lookup.
The first 10 characters are stored as well, so a person can tell their tokens apart in a list.
Every token expires, at most a year after it is made (`MAX_DAYS`): a lost tablet's token must die on its own.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

TOKEN_PREFIX = "jn_"  # noqa: S105 - the public prefix that marks our tokens, not a secret
MAX_DAYS = 365


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def display_prefix(token: str) -> str:
    return token[:10]


class TokenState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class TokenTimes:
    expires_at: datetime
    revoked_at: datetime | None


def token_state(times: TokenTimes, now: datetime) -> TokenState:
    """Revoked wins over expired: it is the more deliberate fact and the one a device owner must hear."""
    if times.revoked_at is not None and times.revoked_at <= now:
        return TokenState.REVOKED
    if times.expires_at <= now:
        return TokenState.EXPIRED
    return TokenState.VALID
