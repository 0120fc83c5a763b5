"""The fonts of every PDF the platform draws (admission tickets, certificates), found on the machine at run time,
and the rule that a PDF never drops a character (DESIGN.md "People and files": names keep every character, rare
ones outside the basic plane included; a font that cannot show one says which).

A chain of fonts, not one. A holder's name may carry a character of CJK Extension A (䶮 U+4DAE) or of the
supplementary planes (𠅤 U+20164, Extension B), which no one font that looks right on a certificate covers:

| font (Debian package) | what it adds |
| --- | --- |
| WenQuanYi Zen Hei (`fonts-wqy-zenhei`), the main font | the basic plane: URO 20,940, Ext A all 6,582, one Ext B |
| HanaMinA (`fonts-hanazono`) | URO, Ext A, 2,858 Ext B, a few of Ext C–F |
| HanaMinB (`fonts-hanazono`) | Ext B (42,711: with HanaMinA every Ext B character of Unicode 10), Ext C–F |
| BabelStone Han (`fonts-babelstone-han`) | part of Ext G and Ext H (plane 3, Unicode 13–15) |

(counted with reportlab's own charmap of the Debian bookworm files.) reportlab embeds TrueType outlines only: the
Noto CJK fonts (`fonts-noto-cjk`, which `make browser` installs for the screenshots) are OpenType collections with
CFF outlines, which reportlab refuses, so they cannot be in the chain. The main font is the first TrueType CJK font
found among `MAIN_CANDIDATES` (then AR PL UMing, WenQuanYi Micro Hei); the fallbacks are those of
`FALLBACK_CANDIDATES` present on the machine, in that order. `PDF_CJK_FONT` replaces the whole chain: one file or
several separated by `:` (main first, `PDF_CJK_FONT_INDEX` the main file's index in a .ttc collection), each of
which must exist and be TrueType, or the first PDF fails naming it (never a silent fallback). No main font at all
is a `FontMissing` error that says what to install, never a PDF of empty boxes; a missing fallback only narrows
what is covered, and a name it would have drawn is refused naming its character.

Choices where the design is silent:
- Per character, the first font of the chain that has the glyph draws it (`FontChain.runs` splits a text into runs
  of one font). A name like 王𠅤 is thus drawn in Zen Hei with one Mincho character: the style differs, the
  character is there; a whole name switched to a Mincho font when one character needs it would change with the
  font order, and HanaMinB, which many Ext B characters need, has almost no common characters to switch to.
- Fallback fonts are read only when a text needs them (a file is 20–50 MB), so a PDF of common characters never
  loads them; what each font covers is cached per process.
- Spaces and line breaks need no glyph and are drawn in the font of the run they are in.
- reportlab's ToUnicode map (what text extraction, search and screen readers read) writes a character beyond the
  basic plane as five hex digits, which readers take as a different character (𠅤 came out as ‖); `_TTFont` writes
  it as the UTF-16 surrogate pair the PDF standard asks for, so the text of the PDF is the name itself.
- Streams are written binary, not ASCII85 (reportlab's default, for 7-bit channels no PDF travels through any
  more): a fifth smaller, and ASCII85 in pure Python was 6 % of a certificate's generation time in the profile.
  Set once per process, for every PDF, when the fonts are first loaded.

`check_covered(texts)` returns the chain once every text is drawable, or raises `GlyphMissing` naming the first
character (with its code point and the fonts tried) that no font covers; callers check every text before drawing
anything. `draw_text` draws one line in runs (left-aligned, centred or right-aligned) and `text_width` measures it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any, Literal

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, RuleBroken, register_messages

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FONT_NAME = "PlatformCJK"  # the main font's name as registered with reportlab

# (path, index in a collection), first found wins.
MAIN_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
# Every one present is used, in this order (module docstring's table).
FALLBACK_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0),
    ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),
    ("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf", 0),
)
# Characters that need no glyph (module docstring).
NO_GLYPH = frozenset(" \n\r\t")

Align = Literal["left", "centre", "right"]


class FontMissing(Conflict):
    """No TrueType CJK font on this machine, or a configured font file that cannot be used (module docstring)."""


class GlyphMissing(RuleBroken):
    """A character no font of the chain can show."""


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap with every code point written as UTF-16BE (surrogate pairs beyond the basic
    plane), in blocks of at most 100 entries as the CMap format allows."""
    entries = [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for i, code in enumerate(subset)]
    blocks: list[str] = []
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", *blocks,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


def _ttfont_class() -> type[Any]:
    from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

    class _TTFont(TTFont):  # type: ignore[misc]  # reportlab has no type hints
        """reportlab's TrueType font with a ToUnicode map right beyond the basic plane (module docstring)."""

        def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
            state = self.state.get(doc)
            subsets = [list(subset) for subset in state.subsets] if state is not None else []  # super() drops it
            super().addObjects(doc)
            for n, subset in enumerate(subsets):
                if all(code <= 0xFFFF for code in subset):
                    continue
                base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
                stream = doc.idToObject.get("toUnicodeCMap:" + base)
                if stream is not None:
                    stream.content = _to_unicode_cmap(base, subset)

    return _TTFont


@dataclass(frozen=True, slots=True)
class PdfFont:
    """One font of the chain, registered with reportlab under `name`."""

    name: str
    path: str
    covered: frozenset[int]

    def missing(self, text: str) -> str | None:
        """The first character of `text` this font cannot draw (spaces and line breaks need no glyph)."""
        for char in text:
            if char in NO_GLYPH or ord(char) in self.covered:
                continue
            return char
        return None


@dataclass
class FontChain:
    """The main font and the fallbacks, the latter loaded on first need (module docstring)."""

    main: PdfFont
    fallback_files: tuple[tuple[str, int], ...]
    _loaded: list[PdfFont] = field(default_factory=list)
    _by_char: dict[str, str | None] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    @property
    def name(self) -> str:
        """The main font's name: what a text of common characters is drawn in."""
        return self.main.name

    def _fallback(self, i: int) -> PdfFont | None:
        with self._lock:
            while len(self._loaded) <= i and len(self._loaded) < len(self.fallback_files):
                path, index = self.fallback_files[len(self._loaded)]
                self._loaded.append(_load(f"{FONT_NAME}-{len(self._loaded) + 1}", path, index))
        return self._loaded[i] if i < len(self._loaded) else None

    def font_for(self, char: str) -> str | None:
        """The name of the first font of the chain that draws `char`; None when none does."""
        try:
            return self._by_char[char]
        except KeyError:
            pass
        code = ord(char)
        found: str | None = None
        if char in NO_GLYPH or code in self.main.covered:
            found = self.main.name
        else:
            for i in range(len(self.fallback_files)):
                font = self._fallback(i)
                if font is not None and code in font.covered:
                    found = font.name
                    break
        self._by_char[char] = found
        return found

    def missing(self, text: str) -> str | None:
        """The first character of `text` no font of the chain draws."""
        for char in text:
            if self.font_for(char) is None:
                return char
        return None

    def font_names(self) -> list[str]:
        """The chain's files, main first, for messages (every fallback, loaded or not)."""
        return [Path(path).stem for path, _index in ((self.main.path, 0), *self.fallback_files)]

    def runs(self, text: str) -> list[tuple[str, str]]:
        """`text` as (font name, piece) runs, each drawn in one font; GlyphMissing for an uncovered character."""
        runs: list[tuple[str, str]] = []
        current: str | None = None
        start = 0
        for i, char in enumerate(text):
            name = (current or self.main.name) if char in NO_GLYPH else self.font_for(char)
            if name is None:
                raise _glyph_missing(self, char, text)
            if name != current:
                if current is not None:
                    runs.append((current, text[start:i]))
                current, start = name, i
        if current is not None:
            runs.append((current, text[start:]))
        return runs

    def width(self, text: str, size: float) -> float:
        """The drawn width of `text` at `size` points, summed over its runs."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(sum(stringWidth(piece, name, size) for name, piece in self.runs(text)))


def _load(name: str, path: str, index: int) -> PdfFont:
    """Read and register one TrueType font; FontMissing naming the file if it is not one."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    try:
        font = _ttfont_class()(name, path, subfontIndex=index)
    except (TTFError, OSError) as exc:
        raise FontMissing("pdf.font_unusable", {"path": path, "reason": str(exc)},
                          "The PDF font {path} cannot be used: {reason}") from exc
    _memoise_tables(font.face)
    pdfmetrics.registerFont(font)
    return PdfFont(name, path, frozenset(font.face.charToGlyph))


def _memoise_tables(face: Any) -> None:
    """Each PDF's font subset copies a few tables of the font file, `post` whole to keep 12 bytes of it (450 KB in
    Zen Hei, 7 % of a certificate's time in the profile); the file does not change, so each table is sliced once."""
    read = face.get_table
    tables: dict[str, bytes] = {}

    def get_table(tag: str) -> bytes:
        if tag not in tables:
            tables[tag] = read(tag)  # KeyError for a table the font lacks, as before
        return tables[tag]

    face.get_table = get_table


def _configured() -> tuple[list[tuple[str, int]], bool]:
    """The chain's files and whether they were configured (`PDF_CJK_FONT`) rather than found."""
    raw = os.environ.get("PDF_CJK_FONT", "")
    if raw:
        index = int(os.environ.get("PDF_CJK_FONT_INDEX", "0") or "0")
        paths = [p for p in raw.split(os.pathsep) if p]
        return [(paths[0], index), *((p, 0) for p in paths[1:])], True
    main = [c for c in MAIN_CANDIDATES if Path(c[0]).is_file()][:1]
    return main + [c for c in FALLBACK_CANDIDATES if Path(c[0]).is_file()], False


@lru_cache(maxsize=1)
def font_chain() -> FontChain:
    """The platform's PDF fonts, the main one registered with reportlab once per process (module docstring)."""
    from reportlab import rl_config

    rl_config.useA85 = 0  # binary streams: a fifth smaller than ASCII85 and faster to write (module docstring)
    files, configured = _configured()
    if configured:
        for path, _index in files:
            if not Path(path).is_file():
                raise FontMissing("pdf.font_unusable", {"path": path, "reason": "no such file"},
                                  "The PDF font {path} cannot be used: {reason}")
    if not files:
        raise FontMissing("pdf.font_missing")
    path, index = files[0]
    return FontChain(_load(FONT_NAME, path, index), tuple(files[1:]))


def _glyph_missing(chain: FontChain, char: str, text: str) -> GlyphMissing:
    return GlyphMissing("pdf.glyph_missing",
                        {"char": char, "codepoint": f"U+{ord(char):04X}", "text": text,
                         "fonts": "、".join(chain.font_names())},
                        "No PDF font ({fonts}) can show the character “{char}” ({codepoint}) in “{text}”; "
                        "no file was made, so that nothing is left out.")


def check_covered(texts: Iterable[str]) -> FontChain:
    """The chain, once every text is known to be drawable; GlyphMissing naming the first character that is not."""
    chain = font_chain()
    for text in texts:
        char = chain.missing(text)
        if char is not None:
            raise _glyph_missing(chain, char, text)
    return chain


def text_width(text: str, size: float) -> float:
    """The width in points of `text` drawn by `draw_text` at `size`."""
    return font_chain().width(text, size)


def draw_text(pdf: Canvas, x: float, y: float, text: str, *, size: float, align: Align = "left") -> float:
    """Draw one line of `text` at baseline `y`, each character in the first font that has it; `x` is the left
    edge, the centre or the right edge by `align`. Returns the width drawn. GlyphMissing for an uncovered
    character (callers have checked with `check_covered` before drawing anything)."""
    chain = font_chain()
    runs = chain.runs(text)
    if not runs:
        return 0.0
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = float(sum(stringWidth(piece, name, size) for name, piece in runs))
    left = x if align == "left" else x - width / 2 if align == "centre" else x - width
    line = pdf.beginText(left, y)
    for name, piece in runs:
        line.setFont(name, size)
        line.textOut(piece)
    pdf.drawText(line)
    return width


register_messages({
    "pdf.font_missing": _("服务器上没有可用于 PDF 的中文 TrueType 字体：请安装 fonts-wqy-zenhei，生僻字另需 "
                          "fonts-hanazono 和 fonts-babelstone-han（make browser 会安装），"
                          "或用环境变量 PDF_CJK_FONT 指定字体文件。"),
    "pdf.font_unusable": _("PDF 字体文件 {path} 无法使用：{reason}。"),
    "pdf.glyph_missing": _("已安装的 PDF 字体（{fonts}）都无法显示“{text}”中的字符“{char}”（{codepoint}），"
                           "为避免漏字，未生成文件。"),
})
