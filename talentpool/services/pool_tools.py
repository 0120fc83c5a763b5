"""An enterprise's pool tools (issue 14 item 7): saved searches (保存的搜索) and the shortlist (候选名单), each its
enterprise's (HR of the enterprise manage them; `talentpool.shortlist.manage`). Audited as
`talentpool.saved_search.*` and `talentpool.shortlist.*`."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from talentpool import access_pool
from talentpool.models import DemandPost, SavedSearch, ShortlistItem, TalentStatus
from talentpool.selectors.pool import query_from


@transaction.atomic(durable=True)
def saved_search_create(*, actor: User, name: str, query: dict[str, Any],
                        enterprise_id: int | None = None) -> SavedSearch:
    enterprise = access_pool.access_enterprise(actor, enterprise_id)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed([FieldError("name", "talentpool.search.saved_name_required")])
    clean = query_from(query).as_dict()
    try:
        with transaction.atomic():
            saved = SavedSearch.objects.create(organization=enterprise, owner=actor, name=name, query=clean,
                                               created_at=timezone.now())
    except IntegrityError:
        raise ValidationFailed([FieldError("name", "talentpool.search.saved_exists")]) from None
    audit_record(actor=actor, action="talentpool.saved_search.created", target=saved,
                 new={"name": name, "query": clean})
    return saved


@transaction.atomic(durable=True)
def saved_search_delete(*, actor: User, search_id: int) -> None:
    saved = access_pool.access_saved_search(actor, search_id)
    audit_record(actor=actor, action="talentpool.saved_search.deleted", target=saved,
                 old={"name": saved.name, "query": saved.query})
    saved.delete()


@transaction.atomic(durable=True)
def shortlist_add(*, actor: User, talent_id: int, post_id: int | None = None, note: str = "",
                  enterprise_id: int | None = None) -> ShortlistItem:
    enterprise = access_pool.access_enterprise(actor, enterprise_id)
    talent = access_pool.access_talent(actor, talent_id)
    if talent.status != TalentStatus.IN_POOL:
        raise NotFound("talentpool.not_in_pool")
    errors = []
    if len(note) > 300:
        errors.append(FieldError("note", "talentpool.shortlist.note_long"))
    if post_id is not None and not DemandPost.objects.filter(pk=post_id, checklist__enterprise=enterprise).exists():
        errors.append(FieldError("post_id", "talentpool.contact.post_not_yours"))
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            item = ShortlistItem.objects.create(organization=enterprise, talent=talent, post_id=post_id,
                                                note=note.strip(), added_by=actor, added_at=timezone.now())
    except IntegrityError:
        raise Conflict("talentpool.shortlist.exists") from None
    audit_record(actor=actor, action="talentpool.shortlist.added", target=item,
                 new={"talent": talent.pk, "post": post_id, "note": item.note})
    return item


@transaction.atomic(durable=True)
def shortlist_remove(*, actor: User, item_id: int) -> None:
    item = access_pool.access_shortlist_item(actor, item_id)
    audit_record(actor=actor, action="talentpool.shortlist.removed", target=item,
                 old={"talent": item.talent_id, "post": item.post_id, "note": item.note})
    item.delete()
