"""The certificate (职业技能等级证书) as a PDF, and many of them as one zip (issue 13 item 3).

`certificate_pdf(facts, qr_payload=…, photo=…)` draws one A4 landscape page from the `CertificateFacts` (the one
value the signature, the verification page and the credential are built from, so the face can never say something
the QR's signature does not): the title, the holder's photo when there is one, the name, the masked ID number, the
occupation and its code, the level (`facts.level_label`: the title on an appointment letter), the number, the
issuer and the date, and the QR code of `qr_payload` (the verification URL, certification.keys) with the line
telling the reader to scan it. Pure: no database, no settings; slow work, so callers run it outside any
transaction.

Rules:
- Every text is checked against the fonts before anything is drawn (core.pdf_fonts.check_covered): a character no
  installed font has refuses the certificate naming it (GlyphMissing), never a PDF with a silently dropped glyph.
  Each character is drawn in the first font of the chain that has it (rare names: 𠅤 U+20164, 䶮 U+4DAE).
- The photo is JPEG or PNG bytes, decoded in full before drawing: anything else, a truncated or corrupt file, or
  an image of more than `PHOTO_MAX_PIXELS` is refused with `PhotoInvalid` naming what is wrong, not drawn as a
  broken image. An upright JPEG of at most `PHOTO_EMBED_SIDE` pixels is embedded as it is; any other photo is
  turned upright (the EXIF orientation of a phone's photo), put on white where it is transparent, scaled down to
  fit `PHOTO_EMBED_SIDE` and embedded as a JPEG, so a 12-megapixel phone photo does not make a 10 MB PDF.
- The QR code: error correction Q (25 % of the symbol may be soiled or covered, e.g. by a stamp), the symbol
  `QR_SIDE` = 30 mm wide, or wider where its modules would be under `QR_MIN_MODULE` = 0.5 mm (issue: ≥ 25 mm to
  scan from paper; certcrypto's 440-character payload is version 13 at Q, 69 modules, so 34.5 mm), drawn as
  vector rectangles so it prints sharp at any resolution, inside a white quiet zone of 4 modules.

`certificates_zip(items, into=…)` writes many certificates into one zip, one PDF each named by its number
(`S000037000123264000001.pdf`), plus `report.txt` listing every number with its outcome. A certificate that fails
(a name no font covers, a bad photo, any error) is reported with its reason and the others are still generated;
a domain error's reason is its message in the active language, any other error is logged with its traceback and
reported as an internal error.

Choices where the design is silent:
- Without a photo the photo frame is not drawn (an empty frame on a certificate invites pasting one in); the
  fields stay where they are, so every certificate of a batch has the same layout.
- The face is Chinese, with the English title and labels small beside the Chinese (employers abroad read it;
  the verification page is in the reader's language anyway).
- The date is printed the Chinese way (2026年7月15日) and is the facts' `issued_on` (Asia/Shanghai).
- The zip is deflated: the PDFs' streams are compressed already, yet deflating takes another 8 % off (measured on
  20 certificates: 482 KB stored, 445 KB deflated).
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from certification.domain.certificate_facts import CertificateFacts
from core.errors import DomainError, RuleBroken, register_messages
from core.pdf_fonts import check_covered, draw_text
from core.qr import qr_matrix

log = logging.getLogger(__name__)

PAGE = landscape(A4)  # 297 × 210 mm
QR_SIDE = 30 * mm  # the symbol without its quiet zone, at least (module docstring)
QR_MIN_MODULE = 0.5 * mm  # a bigger symbol grows so that no module is smaller
QR_QUIET_MODULES = 4
PHOTO_BOX = (35 * mm, 49 * mm)  # 二寸 portrait
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = frozenset({"JPEG", "PNG"})
PHOTO_EMBED_SIDE = 800  # pixels: 49 mm at 400 dpi; a bigger photo is scaled down before it is embedded
_ORIENTATION = 0x0112  # the EXIF tag

TITLE = "职业技能等级证书"
TITLE_EN = "Vocational Skill Level Certificate"
SCAN_LINE = "扫描二维码核验本证书的真伪与状态"
SCAN_LINE_EN = "Scan the QR code to verify this certificate"

_RED = Color(0.60, 0.09, 0.09)
_GOLD = Color(0.72, 0.56, 0.25)
_INK = Color(0.12, 0.12, 0.12)
_GREY = Color(0.40, 0.40, 0.40)


class PhotoInvalid(RuleBroken):
    """A holder's photo that is not a readable JPEG or PNG image (module docstring)."""


def _date_zh(facts: CertificateFacts) -> str:
    day = facts.issued_on
    return f"{day.year}年{day.month}月{day.day}日"


def certificate_fields(facts: CertificateFacts) -> list[tuple[str, str, str]]:
    """The labelled fields of the face, as drawn: (Chinese label, English label, value)."""
    return [
        ("姓名", "Name", facts.holder_name),
        ("证件号码", "ID number", facts.id_number_masked),
        ("职业（工种）", "Occupation", facts.occupation_name),
        ("职业编码", "Occupation code", facts.occupation_code),
        ("职业技能等级", "Level", facts.level_label),
        ("证书编号", "Certificate No.", facts.number),
        ("评价机构", "Issued by", facts.issuer_name),
        ("发证日期", "Date of issue", _date_zh(facts)),
    ]


def certificate_texts(facts: CertificateFacts) -> list[str]:
    """Every text the face draws, for the font check that comes before any drawing."""
    texts = [TITLE, TITLE_EN, SCAN_LINE, SCAN_LINE_EN, "照片"]
    for label, label_en, value in certificate_fields(facts):
        texts += [label, label_en, value]
    return texts


def photo_image(photo: bytes) -> ImageReader:
    """The photo decoded in full and ready to draw; PhotoInvalid naming what is wrong (module docstring)."""
    try:
        opened = Image.open(io.BytesIO(photo))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise PhotoInvalid("certificate_pdf.photo_unreadable", {"reason": type(exc).__name__},
                           "The photo cannot be read as a JPEG or PNG image ({reason}).") from exc
    if opened.format not in PHOTO_FORMATS:
        raise PhotoInvalid("certificate_pdf.photo_format", {"format": opened.format or "?"},
                           "The photo is a {format} image; a JPEG or PNG one is needed.")
    width, height = opened.size
    if width * height > PHOTO_MAX_PIXELS or width < 1 or height < 1:
        raise PhotoInvalid("certificate_pdf.photo_too_large", {"width": width, "height": height,
                                                               "max": PHOTO_MAX_PIXELS // 1_000_000},
                           "The photo is {width} × {height} pixels; at most {max} million pixels are accepted.")
    try:
        opened.load()  # decode every byte now: a truncated or corrupt file fails here, not in the PDF
        upright = opened.getexif().get(_ORIENTATION, 1) == 1
        if (opened.format == "JPEG" and upright and opened.mode in {"RGB", "L"}
                and max(opened.size) <= PHOTO_EMBED_SIDE):
            return ImageReader(io.BytesIO(photo))  # embedded as it is (reportlab passes JPEG through)
        image = ImageOps.exif_transpose(opened)
        if image.mode in {"RGBA", "LA", "P", "PA"} or "transparency" in image.info:
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))  # transparency shows the paper, not black
        image = image.convert("RGB")
        image.thumbnail((PHOTO_EMBED_SIDE, PHOTO_EMBED_SIDE))
        encoded = io.BytesIO()
        image.save(encoded, format="JPEG", quality=90)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PhotoInvalid("certificate_pdf.photo_unreadable", {"reason": type(exc).__name__},
                           "The photo cannot be read as a JPEG or PNG image ({reason}).") from exc
    encoded.seek(0)
    return ImageReader(encoded)


def qr_side(matrix: list[list[bool]]) -> float:
    """The printed width of the symbol in points (module docstring)."""
    return float(max(QR_SIDE, len(matrix) * QR_MIN_MODULE))


def _draw_qr(pdf: canvas.Canvas, left: float, bottom: float, matrix: list[list[bool]]) -> float:
    """The symbol with its quiet zone, `qr_side` wide, lower left corner of the symbol at (left, bottom). Drawn
    in module units (one `re` per run of dark modules in a row, integers only, all filled as one path, so no
    viewer shows seams between modules). Returns the module size in points."""
    count = len(matrix)
    side = qr_side(matrix)
    module = side / count
    quiet = QR_QUIET_MODULES * module
    pdf.saveState()
    pdf.setFillColor(white)
    pdf.rect(left - quiet, bottom - quiet, side + 2 * quiet, side + 2 * quiet, stroke=0, fill=1)
    pdf.setFillColor(Color(0, 0, 0))
    pdf.transform(module, 0, 0, module, left, bottom)
    ops: list[str] = []
    for r, row in enumerate(matrix):
        y = count - 1 - r
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            ops.append(f"{start} {y} {c - start} 1 re")
    ops.append("f")
    pdf.addLiteral("\n".join(ops))
    pdf.restoreState()
    return float(module)


def _draw_frame(pdf: canvas.Canvas, width: float, height: float) -> None:
    pdf.setStrokeColor(_RED)
    pdf.setLineWidth(3)
    pdf.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    pdf.setStrokeColor(_GOLD)
    pdf.setLineWidth(1)
    pdf.rect(11 * mm, 11 * mm, width - 22 * mm, height - 22 * mm)
    for x, y in ((11, 11), (11, 199), (286, 11), (286, 199)):  # corner marks
        pdf.circle(x * mm, y * mm, 1.6 * mm, stroke=1, fill=0)


def certificate_pdf(facts: CertificateFacts, *, qr_payload: str, photo: bytes | None = None) -> bytes:
    """One certificate's PDF (module docstring); GlyphMissing or PhotoInvalid before anything is drawn."""
    check_covered(certificate_texts(facts))
    picture = photo_image(photo) if photo is not None else None
    matrix = qr_matrix(qr_payload)  # error correction Q

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1)
    pdf.setTitle(f"{TITLE} {facts.number}")
    pdf.setAuthor(facts.issuer_name)
    pdf.setSubject(TITLE_EN)
    width, height = PAGE
    _draw_frame(pdf, width, height)

    pdf.setFillColor(_RED)
    draw_text(pdf, width / 2, height - 38 * mm, TITLE, size=34, align="centre")
    pdf.setFillColor(_GREY)
    draw_text(pdf, width / 2, height - 47 * mm, TITLE_EN, size=12, align="centre")
    pdf.setStrokeColor(_GOLD)
    pdf.setLineWidth(0.8)
    pdf.line(width / 2 - 70 * mm, height - 52 * mm, width / 2 + 70 * mm, height - 52 * mm)

    top = height - 64 * mm
    if picture is not None:
        box_w, box_h = PHOTO_BOX
        px, py = 30 * mm, top - box_h
        pic_w, pic_h = picture.getSize()
        scale = min(box_w / pic_w, box_h / pic_h)
        draw_w, draw_h = pic_w * scale, pic_h * scale
        pdf.drawImage(picture, px + (box_w - draw_w) / 2, py + (box_h - draw_h) / 2, draw_w, draw_h, mask="auto")
        pdf.setStrokeColor(_GOLD)
        pdf.setLineWidth(0.6)
        pdf.rect(px, py, box_w, box_h)

    label_x, value_x = 82 * mm, 130 * mm
    y = top - 4 * mm
    for label, label_en, value in certificate_fields(facts):
        pdf.setFillColor(_INK)
        draw_text(pdf, label_x, y, label, size=13)
        pdf.setFillColor(_GREY)
        draw_text(pdf, label_x, y - 4.2 * mm, label_en, size=7)
        pdf.setFillColor(_INK)
        draw_text(pdf, value_x, y, value, size=16 if label == "姓名" else 13)
        y -= 13.5 * mm

    side = qr_side(matrix)
    qr_centre, qr_bottom = width - 30 * mm - QR_SIDE / 2, 38 * mm  # a bigger symbol grows up and to both sides
    _draw_qr(pdf, qr_centre - side / 2, qr_bottom, matrix)
    pdf.setFillColor(_INK)
    draw_text(pdf, qr_centre, qr_bottom - 9 * mm, SCAN_LINE, size=8.5, align="centre")
    pdf.setFillColor(_GREY)
    draw_text(pdf, qr_centre, qr_bottom - 13 * mm, SCAN_LINE_EN, size=6.5, align="centre")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class CertificateToDraw:
    """One certificate of a zip: its facts, its QR payload and its photo (if any)."""

    facts: CertificateFacts
    qr_payload: str
    photo: bytes | None = None


@dataclass(frozen=True, slots=True)
class ZipOutcome:
    """What `certificates_zip` wrote: how many PDFs, and every failure as (number, reason)."""

    made: int
    failures: tuple[tuple[str, str], ...]

    @property
    def failed(self) -> int:
        return len(self.failures)


REPORT_NAME = "report.txt"


def _reason(exc: Exception, number: str) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    log.exception("certificate %s: the PDF could not be generated", number)
    return gettext("内部错误（已记录日志）：%(error)s") % {"error": type(exc).__name__}


def certificates_zip(items: Iterable[CertificateToDraw], *, into: IO[bytes],
                     progress: Callable[[int, str], None] | None = None) -> ZipOutcome:
    """Write one PDF per certificate and `report.txt` into a zip on `into` (module docstring); a failing one is
    reported and the rest are still generated. `progress(done, number)` is called after each certificate."""
    failures: list[tuple[str, str]] = []
    lines: list[str] = []
    made = 0
    seen: set[str] = set()
    with zipfile.ZipFile(into, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, item in enumerate(items, start=1):
            number = item.facts.number
            try:
                if number in seen:
                    raise RuleBroken("certificate_pdf.duplicate", {"number": number},
                                     "Certificate {number} is listed twice.")
                seen.add(number)
                data = certificate_pdf(item.facts, qr_payload=item.qr_payload, photo=item.photo)
            except Exception as exc:  # noqa: BLE001 - one bad certificate must not stop the batch (docstring)
                reason = _reason(exc, number)
                failures.append((number, reason))
                lines.append(f"{number}\t{gettext('失败')}\t{reason}")
            else:
                archive.writestr(f"{number}.pdf", data)
                made += 1
                lines.append(f"{number}\t{gettext('已生成')}")
            if progress is not None:
                progress(done, number)
        summary = gettext("共 %(total)s 张：已生成 %(made)s 张，失败 %(failed)s 张。") % {
            "total": made + len(failures), "made": made, "failed": len(failures)}
        report = [summary, "", gettext("证书编号\t结果\t原因"), *lines]
        # UTF-8 with a byte order mark and CRLF, so Windows' Notepad shows the Chinese too
        archive.writestr(REPORT_NAME, "\ufeff" + "\r\n".join(report) + "\r\n")
    return ZipOutcome(made=made, failures=tuple(failures))


def certificate_zip_bytes(items: Iterable[CertificateToDraw]) -> tuple[bytes, ZipOutcome]:
    """`certificates_zip` into memory (tests, small batches)."""
    buffer = io.BytesIO()
    outcome = certificates_zip(items, into=buffer)
    return buffer.getvalue(), outcome


register_messages({
    "certificate_pdf.photo_unreadable": _("证件照无法读取，须为完整的 JPEG 或 PNG 图片（{reason}）。"),
    "certificate_pdf.photo_format": _("证件照是 {format} 格式，须为 JPEG 或 PNG 图片。"),
    "certificate_pdf.photo_too_large": _("证件照为 {width} × {height} 像素，最多接受 {max} 百万像素。"),
    "certificate_pdf.duplicate": _("证书 {number} 重复列出。"),
})
