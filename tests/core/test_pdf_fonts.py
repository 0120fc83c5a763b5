"""The PDF fonts (core.pdf_fonts): a chain of a main font and fallbacks, each character drawn in the first that has
it, a text checked before drawing, the first character no font has named with its code point (in Chinese and
English), and a configured font that cannot be used named at once. The fallback tests need fonts-hanazono (`make
browser` installs it) and skip saying so where it is missing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from django.utils import translation
from reportlab.pdfgen import canvas

from core.pdf_fonts import (
    FALLBACK_CANDIDATES,
    MAIN_CANDIDATES,
    FontMissing,
    GlyphMissing,
    check_covered,
    draw_text,
    font_chain,
    text_width,
)

HANAZONO = [path for path, _index in FALLBACK_CANDIDATES[:2]]
needs_hanazono = pytest.mark.skipif(not all(Path(p).is_file() for p in HANAZONO),
                                    reason="fonts-hanazono is not installed: `make browser` installs it (README)")


@pytest.fixture
def fresh_chain(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The chain looked up again under the test's environment, and again after it."""
    font_chain.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    font_chain.cache_clear()


@needs_hanazono
def test_each_character_is_drawn_in_the_first_font_that_has_it() -> None:
    chain = font_chain()
    assert Path(chain.main.path).name == Path(MAIN_CANDIDATES[0][0]).name
    runs = chain.runs("王 𠅤𠅤 李")
    assert [piece for _name, piece in runs] == ["王 ", "𠅤𠅤 ", "李"]  # a space stays in the run it is in
    assert runs[0][0] == runs[2][0] == chain.name
    assert chain.font_for("\U0002A6D6") is not None  # the last Ext B character of Unicode 10: HanaMinB
    assert text_width("王𠅤", 10) == pytest.approx(20, abs=0.5)


@needs_hanazono
def test_draw_text_puts_every_character_in_the_pdf_text() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    check_covered(["甲𠅤䶮\U0002A6D6乙"])
    width = draw_text(pdf, 300, 400, "甲𠅤䶮\U0002A6D6乙", size=12, align="centre")
    pdf.showPage()
    pdf.save()
    page = pypdfium2.PdfDocument(buffer.getvalue())[0]
    assert page.get_textpage().get_text_range() == "甲𠅤䶮\U0002A6D6乙"
    assert width == pytest.approx(60, abs=1)


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "都无法显示"), ("en", "can show")])
def test_the_first_character_no_font_has_is_named_with_its_code_point(language: str, words: str) -> None:
    with pytest.raises(GlyphMissing) as refused:
        check_covered(["李四", "张\U00030041\U00030042"])
    error = refused.value
    assert (error.params["char"], error.params["codepoint"], error.params["text"]) == (
        "\U00030041", "U+30041", "张\U00030041\U00030042")
    with translation.override(language):
        assert all(part in error.message for part in ("\U00030041", "U+30041", words))


def test_a_configured_font_file_that_does_not_exist_is_named(fresh_chain: pytest.MonkeyPatch) -> None:
    fresh_chain.setenv("PDF_CJK_FONT", "/nowhere/font.ttc")
    with pytest.raises(FontMissing) as refused:
        font_chain()
    assert "/nowhere/font.ttc" in refused.value.message


def test_a_configured_file_that_is_no_truetype_font_is_named(fresh_chain: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    fresh_chain.setenv("PDF_CJK_FONT", str(bogus))
    with pytest.raises(FontMissing) as refused:
        font_chain()
    assert str(bogus) in refused.value.message


@needs_hanazono
def test_the_configured_chain_is_used_in_its_order(fresh_chain: pytest.MonkeyPatch) -> None:
    main = MAIN_CANDIDATES[0][0]
    fresh_chain.setenv("PDF_CJK_FONT", f"{main}:{HANAZONO[1]}")  # HanaMinB only: no HanaMinA
    chain = font_chain()
    assert chain.fallback_files == ((HANAZONO[1], 0),)
    assert chain.font_for("𠅤") is not None and chain.missing("王𠅤") is None
