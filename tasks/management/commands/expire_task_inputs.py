"""Delete stored task files older than the limit (tasks/retention.py), for a cron line where no worker runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tasks.retention import expire_stale_inputs, max_age


class Command(BaseCommand):
    help = "删除超过保存时限的后台任务文件 Delete stored task files older than the limit"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=float, default=None,
                            help="保存时限（小时），默认 TASK_INPUT_MAX_AGE The limit in hours")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours is not None and hours <= 0:
            raise CommandError("--hours: 保存时限必须大于 0 The limit must be more than 0 hours.")
        older_than = timedelta(hours=hours) if hours is not None else max_age()
        deleted = expire_stale_inputs(older_than=older_than)
        self.stdout.write(f"deleted {deleted} task files older than {older_than}")
