"""Working days of the review period (competitions.domain.calendar)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from competitions.domain.calendar import add_working_days

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("start", "days", "end"), [
    ("2026-12-01 10:00", 5, "2026-12-08 10:00"),  # Tuesday + 5 working days = next Tuesday
    ("2026-12-04 18:30", 1, "2026-12-07 18:30"),  # Friday + 1 = Monday
    ("2026-12-05 09:00", 1, "2026-12-07 09:00"),  # Saturday + 1 = Monday
    ("2026-12-05 09:00", 0, "2026-12-05 09:00"),
    ("2026-12-07 00:10", 5, "2026-12-14 00:10"),  # just after local midnight: the local weekday counts
])
def test_add_working_days_skips_weekends(start: str, days: int, end: str) -> None:
    begin = datetime.fromisoformat(start).replace(tzinfo=SHANGHAI)
    assert add_working_days(begin, days) == datetime.fromisoformat(end).replace(tzinfo=SHANGHAI)
