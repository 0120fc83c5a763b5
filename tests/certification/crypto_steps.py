"""Shared steps of the certificate signature tests: a certificate's facts without a database row."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from certification.domain.certificate_facts import CertificateFacts
from certification.domain.ladder import SkillLevel


def sample_facts(**changes: object) -> CertificateFacts:
    """The facts of a plausible 四级 welder's certificate; keyword arguments replace fields."""
    facts = CertificateFacts(
        number="S000037000123264000001", holder_name="王小明", id_number_masked="3701**********1234",
        occupation_code="6-18-02-04", occupation_name="焊工", level=SkillLevel.FOUR, title="",
        issuer_name="山东省职业技能鉴定中心", issued_on=date(2026, 11, 30), status_list_no=0,
        status_index=98765,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def use_key_store(settings, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    """A certificate key store of the test's own at `folder`, with one active key (certification/keys.py); the
    signing key from the environment is switched off and the public base URL is an example one."""
    from certification import keys

    settings.CERTIFICATE_KEYS_DIR = folder
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_ID = ""
    settings.PUBLIC_BASE_URL = "https://jineng.example.cn"
    keys.key_generate()
    return folder
