"""Background work of the audit app: sealing the log on demand, and verifying it.

These live here rather than in services.py: the tasks import the tasks app, and services.py is the writer every
app (accounts included) imports, which must not pull it in. The sealer's every-second run is not a queued task
but a loop inside each task worker (audit.runner), so an idle platform does not fill the task table.

Verification says its result in words (issue 10 item 7): "审计日志完好：共 N 条记录，M 个签名树头全部核验通过", or the
first problem audit.sealing.audit_verify found, with the record's place counted from 1 (第 K 条, leaf K − 1) and
its entry id, as the history page shows them. Choice where DESIGN.md is silent: the words are written when the task
runs, in the language of the person who started it (captured from their request), since the worker has no reader;
the raw fields stay beside them in the result for the API.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from accounts.models import User
from accounts.permissions import require
from audit.permissions import Action
from audit.sealing import Problem, VerifyReport, audit_seal_all, audit_verify
from tasks.models import TaskProgress
from tasks.progress import Report, run_with_progress, task_start

# What each problem of audit.sealing.audit_verify says, by its code; records counted from 1 (module docstring).
PROBLEM_WORDS = {
    "entry_edited": gettext_lazy("发现异常：第 %(n)s 条记录（编号 %(entry)s）哈希不符：该记录在封存后被修改。"),
    "entry_deleted": gettext_lazy("发现异常：第 %(n)s 条记录（编号 %(entry)s）已不存在：该记录在封存后被删除。"),
    "leaf_missing": gettext_lazy("发现异常：第 %(n)s 条记录缺失（其后是第 %(next)s 条）。"),
    "head_signature": gettext_lazy("发现异常：覆盖 %(size)s 条记录的签名树头签名无效。"),
    "head_mismatch": gettext_lazy(
        "发现异常：前 %(size)s 条记录与其签名树头不符：第 %(first)s 至 %(last)s 条之间有记录被修改、移动或删除。"),
    "trusted_signature": gettext_lazy("发现异常：外部保存的覆盖 %(size)s 条记录的树头签名无效。"),
    "trusted_differs": gettext_lazy(
        "发现异常：覆盖 %(size)s 条记录的树头与外部保存的副本不符：第 %(first)s 至 %(last)s 条的历史被改写。"),
    "trusted_mismatch": gettext_lazy(
        "发现异常：前 %(size)s 条记录与外部保存的树头不符：第 %(first)s 至 %(last)s 条的历史被改写。"),
    "rewound": gettext_lazy(
        "发现异常：树头覆盖 %(size)s 条记录，日志只有 %(held)s 条：第 %(first)s 至 %(last)s 条缺失（历史被回退）。"),
    "uncovered": gettext_lazy(
        "发现异常：第 %(first)s 至 %(last)s 条记录没有签名树头覆盖（树头被删除，或此后尚未封存）。"),
}


def _problem_words(problem: Problem) -> str:
    p: dict[str, object] = {**problem.params, "reason": problem.reason}
    # People count records from 1; the tree's leaves from 0.
    for key in ("index", "next", "first", "last"):
        if key in problem.params:
            p["n" if key == "index" else key] = problem.params[key] + 1
    message = PROBLEM_WORDS.get(problem.code)
    try:
        return str(message) % p if message is not None else _("发现异常：%(reason)s") % p
    except KeyError:  # a code whose numbers are not all there: say what verify said
        return _("发现异常：%(reason)s") % p


def verify_words(report: VerifyReport) -> str:
    """The verification's result as a sentence in the active language (module docstring)."""
    if report.problem is not None:
        return _problem_words(report.problem)
    words = _("审计日志完好：共 %(checked)s 条记录，%(heads)s 个签名树头全部核验通过。") % {
        "checked": report.checked, "heads": report.heads}
    if report.unsealed:
        words += _("另有 %(unsealed)s 条新记录尚未封存，下次核验时包含。") % {"unsealed": report.unsealed}
    return words


@task(queue_name="default")
def audit_verify_task(progress_id: str, language: str = "zh-hans") -> dict[str, Any]:
    """Seal what is committed, then rebuild the whole tree, reporting progress; the result names the first bad
    position, if any, and says it in words in `language` (module docstring)."""

    def body(report: Report) -> dict[str, Any]:
        audit_seal_all()
        result = audit_verify(progress=lambda done, total: report(done, total, ""))
        problem = result.problem
        with translation.override(language):
            summary = verify_words(result)
        return {
            "checked": result.checked,
            "heads": result.heads,
            "ok": problem is None,
            "bad_position": problem.position if problem else None,
            "reason": problem.reason if problem else "",
            "code": problem.code if problem else "",
            "entry_id": problem.params.get("entry") if problem else None,
            "summary": summary,
        }

    return run_with_progress(progress_id, body)


def audit_verify_start(*, actor: User) -> TaskProgress:
    """Start verifying the whole log in the background, as `actor` (who must hold AUDIT_VERIFY: the platform
    admin) and owned by them, so only they follow its progress; its result is worded in the language active now
    (the starter's request)."""
    require(actor, Action.AUDIT_VERIFY)
    return task_start(owner=actor, kind="audit.verify", label="校验审计日志", task=audit_verify_task,
                      language=translation.get_language() or "zh-hans")


@task(queue_name="default")
def audit_seal_task(progress_id: str) -> dict[str, Any]:
    """Seal every committed entry not sealed yet, now (the on-demand twin of the worker's every-second run)."""

    def body(report: Report) -> dict[str, Any]:
        reports = audit_seal_all()
        report(1, 1, "")
        return {"sealed": sum(r.sealed for r in reports), "tree_size": reports[-1].tree_size,
                "lag_ms": max(r.lag_ms for r in reports)}

    return run_with_progress(progress_id, body)


def audit_seal_start(*, actor: User) -> TaskProgress:
    """Seal on demand in the background (the platform admin)."""
    require(actor, Action.AUDIT_VERIFY)
    return task_start(owner=actor, kind="audit.seal", label="封存审计日志", task=audit_seal_task)
