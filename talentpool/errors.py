"""The Chinese messages of every error code the talent pool shows (English lives in locale/en like every other
app's); registered at start-up by `TalentpoolConfig.ready`. Each module adds its codes under its own prefix
(`intake.`, `profile.`, `contact.`, `demand.`, `supply.`, `excel.`, `match.`, `matchmaking.`, `challenge.`,
`equipment.`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import register_messages

register_messages(
    {
        "talentpool.not_in_pool": _("此人不在人才库中。"),
    }
)
