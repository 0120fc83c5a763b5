"""After-commit publication of small deltas to an event's channel group (DESIGN.md "Data flow of one mark").

Services call `publish_on_commit` inside their transaction; the message leaves only when the transaction commits,
so a viewer never sees a mark that was rolled back. The scoreboard consumers that forward these to browsers come
with live scoring; the group name and the message shape are fixed here.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

MESSAGE_TYPE = "competition.delta"


def event_group(event_id: int) -> str:
    return f"event.{event_id}"


def publish_on_commit(event_id: int, payload: dict[str, Any]) -> None:
    """Send `payload` to the event's group once the current transaction commits; ids and plain values only."""
    message = {"type": MESSAGE_TYPE, **payload}

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(event_group(event_id), message)

    transaction.on_commit(send)
