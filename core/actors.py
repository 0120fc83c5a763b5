"""The platform acting on its own: the system actor (`SYSTEM`), which scripts pass to services.

It lives in the kernel because the audit writer, which the accounts services call, must recognise it without
importing accounts; accounts.actors explains why it is a sentinel and not a user row, and adds the `Actor` type.
"""

from __future__ import annotations

from typing import ClassVar, Final, final


@final
class SystemActor:
    """The platform acting on its own (one instance: `SYSTEM`)."""

    __slots__ = ()
    _instance: ClassVar[SystemActor | None] = None

    def __new__(cls) -> SystemActor:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"

    def __reduce__(self) -> str:
        return "SYSTEM"  # pickles as a reference to this module's SYSTEM, so it stays the one instance


SYSTEM: Final = SystemActor()

__all__ = ["SYSTEM", "SystemActor"]
