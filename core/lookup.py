"""Loading one object by its lookup, answering the platform's NotFound when there is none.

Not Django's `get_object_or_404`: its Http404 carries no code, while `core.errors.NotFound` reads the same on a
page and in the API, in the caller's language. A lookup value that cannot be one of the field's (a forged form's
`sheet_id=abc`) finds nothing, as a number that matches no row does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet

from core.errors import NotFound

M = TypeVar("M", bound=Model)


def get_or_404(model_or_queryset: type[M] | QuerySet[M], **lookup: Any) -> M:
    """The one object of the model (or within the queryset) matching `lookup`; NotFound when there is none, also
    for a value the key cannot hold (a page URL's number past 64 bits, which SQLite refuses with OverflowError)."""
    queryset = (
        model_or_queryset._default_manager.all() if isinstance(model_or_queryset, type) else model_or_queryset
    )
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError, OverflowError):
        raise NotFound() from None


# The most values one `IN (…)` list carries: far below every backend's limit on bound parameters (SQLite's 999 in
# older builds, 32,766 now; PostgreSQL's 65,535), so a lookup over thousands of rows of an import is split into
# several queries instead of failing after the import has committed (issue 8 item 6).
IN_BATCH = 500

T = TypeVar("T")


def batched(values: Iterable[T], size: int = IN_BATCH) -> Iterator[list[T]]:
    """`values` in lists of at most `size`, in order."""
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def filter_in(queryset: QuerySet[Any, T], field: str, values: Iterable[Any], size: int = IN_BATCH) -> list[T]:
    """`list(queryset.filter(<field>__in=values))`, asked in batches of at most `size` values, so the number of
    values is unbounded while each query's is not. The queryset's ordering holds within a batch only."""
    found: list[T] = []
    for batch in batched(dict.fromkeys(values), size):
        found.extend(queryset.filter(**{f"{field}__in": batch}))
    return found
