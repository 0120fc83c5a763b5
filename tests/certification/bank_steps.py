"""Shared steps of the question-bank tests: questions made the way an import makes them."""

from __future__ import annotations

from certification.domain.papers import Importance, Kind
from certification.domain.questions import TRUE_FALSE_OPTIONS, QuestionContent


def single(n: int, area: str = "A-B", difficulty: int = 3, importance: Importance = Importance.X) -> QuestionContent:
    return QuestionContent(Kind.SINGLE, f"{area}-A-{n:03d}", importance, difficulty, f"焊接安全题 {n}（ ）。",
                           ("干粉灭火器", "清水", "湿棉被", "沙土"), (0,), f"解析 {n}")


def multiple(n: int, area: str = "A-B") -> QuestionContent:
    return QuestionContent(Kind.MULTIPLE, f"{area}-B-{n:03d}", Importance.Y, 2, f"焊工防护用品包括 {n}（ ）。",
                           ("面罩", "手套", "绝缘鞋", "化纤衣服"), (0, 1, 2), "化纤衣服易燃。")


def true_false(n: int, area: str = "A-B") -> QuestionContent:
    return QuestionContent(Kind.TRUE_FALSE, f"{area}-C-{n:03d}", Importance.Z, 1, f"碱性焊条应短弧焊 {n}。",
                           TRUE_FALSE_OPTIONS, (0,), "长弧易气孔。")
