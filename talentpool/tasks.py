"""Background intake (issue 14 item 1: "after each publication and each issuance, on commit, as a background
task"): certification's `certificates_changed` and competitions' `results_published` signals, sent on commit,
enqueue `intake_run` with the people concerned (receivers below, connected in `TalentpoolConfig.ready`). The
run is idempotent, so a person named twice costs a second look, never a second record."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from accounts.actors import SYSTEM


@task(queue_name="default")
def intake_run(person_ids: list[int]) -> dict[str, Any]:
    from talentpool.services.intake import talent_intake_run

    report = talent_intake_run(actor=SYSTEM, person_ids=person_ids)
    return {"checked": report.checked, "entered": report.entered, "left": report.left,
            "sources_recorded": report.sources_recorded, "sources_withdrawn": report.sources_withdrawn}


def on_upstream_change(sender: object, person_ids: list[int], **kwargs: Any) -> None:
    """Receiver of both signals: enqueue intake for the people (ids only, STYLE.md)."""
    if person_ids:
        intake_run.enqueue(person_ids=sorted({int(i) for i in person_ids}))


def connect_intake_receivers() -> None:
    """Called by `TalentpoolConfig.ready`: the two upstream signals lead to `on_upstream_change`."""
    from certification.signals import certificates_changed
    from competitions.signals import results_published

    certificates_changed.connect(on_upstream_change, dispatch_uid="talentpool.intake.certificates")
    results_published.connect(on_upstream_change, dispatch_uid="talentpool.intake.results")
