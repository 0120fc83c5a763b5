"""Loading one object by its lookup, answering the platform's NotFound when there is none.

Not Django's `get_object_or_404`: its Http404 carries no code, while `core.errors.NotFound` reads the same on a
page and in the API, in the caller's language. A lookup value that cannot be one of the field's (a forged form's
`sheet_id=abc`) finds nothing, as a number that matches no row does.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet

from core.errors import NotFound

M = TypeVar("M", bound=Model)


def get_or_404(model_or_queryset: type[M] | QuerySet[M], **lookup: Any) -> M:
    """The one object of the model (or within the queryset) matching `lookup`; NotFound when there is none."""
    queryset = (
        model_or_queryset._default_manager.all() if isinstance(model_or_queryset, type) else model_or_queryset
    )
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
