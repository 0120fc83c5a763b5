"""The English catalogue is complete (issue 10): every message of locale/en/LC_MESSAGES/django.po has a
translation that is neither empty nor fuzzy (a fuzzy one is a guess gettext never shows), and keeps the
placeholders of its Chinese original exactly, so `%(name)s` and `{name}` are filled in English too.

After adding strings, run `python manage.py makemessages -l en` (ignoring the virtualenv, tests and benchmarks
with `-i`); this test then names every message still to translate, and `msgfmt` compiles the .mo. The .po is
read here with a few lines of parsing, not polib, which the project does not depend on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


@dataclass
class Message:
    line: int
    flags: list[str] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.parts.get("msgid", "")

    @property
    def translations(self) -> dict[str, str]:
        return {key: value for key, value in self.parts.items() if key.startswith("msgstr")}


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), body)


def messages(path: Path) -> list[Message]:
    """The live messages of a catalogue (obsolete `#~` ones and the header left out)."""
    found: list[Message] = []
    current: Message | None = None
    key = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            current = None if not line else current
            continue
        if current is None:
            current = Message(number)
            found.append(current)
        if line.startswith("#,"):
            current.flags = [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current.parts[key] += _unquote(line)
        else:
            key, _, rest = line.partition(" ")
            current.parts[key] = _unquote(rest)
    return [m for m in found if m.msgid]


def test_there_is_an_english_catalogue() -> None:
    assert LOCALE / "en" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_message_is_translated_and_none_is_fuzzy(path: Path) -> None:
    missing = [f"line {m.line}: {m.msgid}" for m in messages(path)
               if "fuzzy" in m.flags or not all(m.translations.values())]
    assert missing == [], f"{len(missing)} messages untranslated or fuzzy in {path.name}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_translation_keeps_its_placeholders(path: Path) -> None:
    wrong = []
    for m in messages(path):
        for key, text in m.translations.items():
            source = m.parts.get("msgid_plural", m.msgid) if key not in ("msgstr", "msgstr[0]") else m.msgid
            if text and sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append(f"line {m.line}: {m.msgid!r} → {text!r}")
    assert wrong == []
