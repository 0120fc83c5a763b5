"""Talent pool fixtures: certification's key store (intake tests issue and revoke real certificates)."""

from tests.certification.conftest import certificate_keys

__all__ = ["certificate_keys"]
