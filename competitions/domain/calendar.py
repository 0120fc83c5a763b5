"""Working days (DESIGN.md "Publication": results are under review for 5 working days).

A working day is Monday to Friday. Public holidays and the weekends worked in their place (调休) are not known to
the platform: an organizer who needs them counts them into the event's `review_days`. The caller passes the start
in the time zone whose calendar counts (the province's, Asia/Shanghai), so that a day boundary is the local one.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` working days after `start`, at the same time of day; 0 days is `start` itself."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment
