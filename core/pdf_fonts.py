"""The Chinese font of every PDF the platform draws (admission tickets now, certificates later), found on the
machine at run time, and the rule that a PDF never drops a character (DESIGN.md "People and files": a font that
cannot show a name's character says which).

reportlab embeds TrueType outlines only: the Noto CJK fonts Debian ships (fonts-noto-cjk, which `make browser`
installs for the screenshots) are OpenType collections with CFF outlines, which reportlab refuses. So the lookup
takes the first TrueType CJK font it finds among `CANDIDATES` (WenQuanYi Zen Hei from `fonts-wqy-zenhei`, then AR
PL UMing from `fonts-arphic-uming`, both installed by `make browser`), or the file named by the environment
variable `PDF_CJK_FONT` (a .ttf, or a .ttc with `PDF_CJK_FONT_INDEX`). No font at all is a `FontMissing` error
that says what to install, never a PDF of empty boxes.

`check_covered(texts)` raises `GlyphMissing` naming the first character (and its code point) the font has no
glyph for; callers check every text before drawing anything. WenQuanYi Zen Hei covers the basic plane's CJK
(GB 18030's 27,000-odd characters) but not the supplementary planes (e.g. 𠅤 U+20164): such a name is refused,
naming the character, until a font covering it is configured.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, RuleBroken, register_messages

FONT_NAME = "PlatformCJK"

# (path, index in a collection), first found wins.
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)


class FontMissing(Conflict):
    """No TrueType CJK font on this machine (module docstring)."""


class GlyphMissing(RuleBroken):
    """A character the PDF font cannot show."""


@dataclass(frozen=True, slots=True)
class CjkFont:
    name: str
    path: str
    covered: frozenset[int]

    def missing(self, text: str) -> str | None:
        """The first character of `text` the font cannot draw (spaces and line breaks need no glyph)."""
        for char in text:
            if char in " \n\r\t" or ord(char) in self.covered:
                continue
            return char
        return None


def _configured() -> list[tuple[str, int]]:
    path = os.environ.get("PDF_CJK_FONT", "")
    if path:
        return [(path, int(os.environ.get("PDF_CJK_FONT_INDEX", "0")))]
    return list(CANDIDATES)


@lru_cache(maxsize=1)
def cjk_font() -> CjkFont:
    """The platform's CJK font, registered with reportlab once per process (module docstring)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for path, index in _configured():
        if not Path(path).is_file():
            continue
        try:
            font = TTFont(FONT_NAME, path, subfontIndex=index)
        except TTFError:  # CFF outlines or a broken file: try the next
            continue
        pdfmetrics.registerFont(font)
        return CjkFont(FONT_NAME, path, frozenset(font.face.charToGlyph))
    raise FontMissing("pdf.font_missing")


def check_covered(texts: Iterable[str]) -> CjkFont:
    """The font, once every text is known to be drawable; GlyphMissing naming the first character that is not."""
    font = cjk_font()
    for text in texts:
        char = font.missing(text)
        if char is not None:
            raise GlyphMissing("pdf.glyph_missing", {"char": char, "codepoint": f"U+{ord(char):04X}", "text": text})
    return font


register_messages({
    "pdf.font_missing": _("服务器上没有可用于 PDF 的中文 TrueType 字体："
                          "请安装 fonts-wqy-zenhei（make browser 会安装），或用环境变量 PDF_CJK_FONT 指定字体文件。"),
    "pdf.glyph_missing": _("PDF 字体无法显示“{text}”中的字符“{char}”（{codepoint}），为避免漏字，未生成文件。"),
})
