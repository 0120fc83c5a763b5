"""The append-only change log and its Merkle tree (DESIGN.md "Audit", "Audit at scale").

- `AuditEntry`: one audited change, only ever inserted, by `audit.services.audit_record`, with no shared lock:
  its id comes from the table's sequence, so concurrent writers never wait for each other. Ids can have gaps (a
  rolled-back transaction uses one up) and a lower id can commit after a higher one.
- `AuditLeaf`: an entry's place in the Merkle tree, given by the sealer (`audit.sealing.audit_seal`): `index`
  counts from 0 without gaps, in the order the sealer found the entries committed, and `hash` is the RFC 6962 leaf
  hash of the entry's canonical JSON (audit.chain.EntryRecord.leaf_data). A separate table, so entries stay
  insert-only: sealing an entry inserts its leaf, it never updates the entry.
- `AuditTreeHead`: a signed tree head (size, root, time, key id, Ed25519 signature), written by the sealer; the
  signing key lives outside the database (audit.signing).
- `AuditSealer`: the sealer's own bookkeeping row (id=1): the tree's right edge, so a seal does not re-read old
  leaves, and where to look for entries not yet sealed. It is updated in place and locked by the one sealer at a
  time; it is not evidence (`verify_audit` rebuilds everything from entries, leaves and heads), and no writer
  touches it.

Entries, leaves and heads refuse updates and deletes in the model and the queryset, and in the database by
triggers (migration 0005: UPDATE and DELETE on PostgreSQL, UPDATE on SQLite, where a DELETE trigger
would also block Django's test flush). Production runs with a database role that cannot UPDATE, DELETE or
TRUNCATE these tables at all (README, "Production").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class AppendOnlyError(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__("audit.append_only", {}, "Audit entries cannot be changed or deleted.")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError()

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError()


class AppendOnlyModel(models.Model):
    """Insert once; never save again, never delete."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError()


class AuditEntry(AppendOnlyModel):
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=100)
    target_id = models.CharField(_("对象编号"), max_length=64)
    old = models.JSONField(_("原值"), null=True, blank=True)
    new = models.JSONField(_("新值"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    # A random blinding value its leaf covers (audit.chain.EntryRecord), never shown to a reader who is shown the
    # entry redacted (audit.redaction): without it the leaf hash of a redacted entry, in its inclusion proof or as a
    # neighbour's sibling, could be matched against the few values a hidden field can take (the 24 工位号 of a
    # skill). Null for entries written before it existed, whose leaves cover no salt. Nullable so that SQLite adds
    # the column in place instead of rebuilding the table, which would drop its append-only trigger.
    salt = models.CharField(max_length=32, null=True, blank=True, editable=False)  # noqa: DJ001 - see above

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id", "id"], name="audit_target_id_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"


class AuditLeaf(AppendOnlyModel):
    """叶子: an entry's position in the Merkle tree."""

    index = models.PositiveBigIntegerField(_("叶子序号"), primary_key=True)
    # No foreign-key constraint in the database: checking one takes a row lock on each new entry, on the very
    # heap pages the writers are inserting into, a thousand times a second; entries are never deleted, and
    # `verify_audit` reports a leaf whose entry is missing.
    entry = models.OneToOneField(AuditEntry, verbose_name=_("审计记录"), on_delete=models.DO_NOTHING,
                                 db_constraint=False, related_name="leaf")
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计叶子")
        verbose_name_plural = _("审计叶子")
        ordering = ["index"]

    def __str__(self) -> str:
        return f"leaf {self.index} → entry {self.entry_id}"


class AuditTreeHead(AppendOnlyModel):
    """签名树头: the sealer's signed statement of the tree's size and root at a time."""

    tree_size = models.PositiveBigIntegerField(_("叶子数"), unique=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.DateTimeField(_("时间"))
    key_id = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"head {self.tree_size} {self.root_hash[:12]}"


class AuditSealer(models.Model):
    """The sealer's bookkeeping (a single row, id=1), locked by the one sealer at a time."""

    tree_size = models.PositiveBigIntegerField(default=0)
    frontier = models.JSONField(default=list)  # hex roots of the right edge's perfect subtrees, largest first
    # PostgreSQL, what the last seal's snapshot saw (audit.sealing): every transaction id below `seen_xmax` and not
    # in `seen_running` had finished, so only those two can still commit entries the sealer has not seen.
    seen_xmax = models.BigIntegerField(default=0)
    seen_running = models.JSONField(default=list)
    # SQLite: writers commit one at a time in id order, so every entry up to this id is sealed.
    last_entry_id = models.BigIntegerField(default=0)
    sealed_at = models.DateTimeField(null=True, blank=True)
    last_batch = models.PositiveIntegerField(default=0)
    last_lag_ms = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_sealer_single_row")]

    def __str__(self) -> str:
        return f"sealer at {self.tree_size}"
