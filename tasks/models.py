"""Progress of background tasks, so a page can show a bar while an import or a batch of PDFs runs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class TaskProgress(models.Model):
    """One background job as people see it: what it is, who started it, how far it got, how it ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("任务类型"), max_length=100)
    label = models.CharField(_("任务"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                                   name="progress_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == TaskStatus.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def permission_owner_id(self) -> int | None:
        return self.owner_id

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset()


class TaskInput(models.Model):
    """The file a background task works on (an uploaded Excel roster or scheme too big to import in the request),
    kept in the database beside the task's progress row rather than under var/: task workers may run on other
    machines than the web process (README "Running in production"), and all of them reach the database. The row
    is deleted when the task ends, however it ends: the file holds real-name data (ID and mobile numbers), and
    what was imported from it is in the audit log. 10 MB at most (the imports' own limit)."""

    progress = models.OneToOneField(TaskProgress, primary_key=True, on_delete=models.CASCADE, related_name="input")
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    data = models.BinaryField(_("文件内容"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("后台任务文件")
        verbose_name_plural = _("后台任务文件")

    def __str__(self) -> str:
        return self.filename or str(self.progress_id)
