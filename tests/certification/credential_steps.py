"""Steps for the credential tests: a certificate's facts, issuer and status entry as the tests use them, and the
independent JavaScript verifier (tests/vc_verifier; see test_credentials_independent.py for why this one)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

from certification import credentials
from certification.domain.certificate_facts import CertificateFacts
from certification.domain.ladder import SkillLevel

BASE = "https://jineng.example"
ISSUER = credentials.IssuerInfo(id=credentials.issuer_id_for(BASE), name="技能山东职业技能等级认定平台", url=BASE)
STATUS = credentials.StatusEntry(status_list_credential=f"{BASE}/certification/status/1", status_list_index=97531)
FACTS = CertificateFacts(
    number="S000037000123264000001",
    holder_name="王𠅤䶮",  # a character outside the basic plane and one in extension A
    id_number_masked="3701**********1234",
    occupation_code="6-18-02-04",
    occupation_name="焊工",
    level=SkillLevel(4),
    title="",
    issuer_name="济南市技能评价中心",
    issued_on=date(2026, 11, 30),
)

VERIFIER = Path(__file__).resolve().parents[1] / "vc_verifier"
NODE = shutil.which("node")


def independent_verifier_missing() -> str | None:
    """Why the independent verifier cannot run here, or None when it can."""
    if NODE is None:
        return "Node.js is not installed: the independent JavaScript verifier cannot run"
    if not (VERIFIER / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        return "tests/vc_verifier/node_modules is missing: run `make test` or `npm ci --prefix tests/vc_verifier`"
    return None


def independent_verify(credential: dict, controller: dict) -> dict:
    """The JavaScript verifier's verdict on `credential`, fed our shipped contexts and `controller`."""
    loader = credentials.ShippedContexts()
    contexts = {url: loader(url)["document"] for url in credentials.SHIPPED_CONTEXT_FILES}
    payload = json.dumps({"credential": credential, "contexts": contexts, "controller": controller},
                         ensure_ascii=False)
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(NODE), str(VERIFIER / "verify.mjs")], input=payload.encode("utf-8"), capture_output=True,
        timeout=60, check=True,
    )
    result: dict = json.loads(done.stdout)
    return result
