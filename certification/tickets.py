"""The admission ticket (准考证) as a PDF (issue 12 item 4): A4, drawn with reportlab in the platform's CJK font
(core.pdf_fonts: each character in the first font of the chain that has it, rare ones outside the basic plane
included; a character no font has refuses the ticket, naming it; nothing is ever dropped). It carries the
candidate's name, masked ID number, the candidate's ID photo (certification.photos; without one the box says to
paste one, as paper tickets do), the occupation and level, the batch and body, each part's time, room and seat,
and a QR code of the ticket's verification URL, which the door staff open (`views.batches.ticket_verify`). Built
from the selector's `TicketView`, outside any transaction (slow work)."""

from __future__ import annotations

import io

import qrcode
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from certification.certificate_pdf import photo_image
from certification.selectors.batches import TicketView
from core.pdf_fonts import check_covered, draw_text


def _when(value: object) -> str:
    local = timezone.localtime(value)  # type: ignore[arg-type]
    return local.strftime("%Y-%m-%d %H:%M")


def ticket_texts(ticket: TicketView) -> list[tuple[str, str]]:
    """The labelled lines of the ticket, as drawn."""
    lines = [("准考证号", ticket.ticket_no), ("姓名", ticket.name), ("身份证号", ticket.id_number),
             ("工作单位", ticket.unit_name or "—"),
             ("职业（工种）", f"{ticket.occupation_name}（{ticket.occupation_code}）"),
             ("申报等级", ticket.level_label), ("考核批次", f"{ticket.batch_name}（{ticket.batch_code}）"),
             ("评价机构", ticket.body_name)]
    for part in ticket.parts:
        lines.append((part.label, f"{_when(part.starts_at)}–{timezone.localtime(part.ends_at):%H:%M}  "
                                  f"{part.room}  {part.seat} 号"))
    return lines


def ticket_pdf(ticket: TicketView, verify_url: str, photo: bytes | None = None) -> bytes:
    """The ticket's PDF (module docstring) with the candidate's ID photo in its box when there is one;
    GlyphMissing before anything is drawn if no font has a character."""
    picture = photo_image(photo) if photo is not None else None
    lines = ticket_texts(ticket)
    notes = ["考生须持本准考证和有效身份证件，按时到指定考场参加考核。", "扫描二维码可核验本准考证。"]
    check_covered(["职业技能等级认定准考证", "照片", *notes, *(f"{k}：{v}" for k, v in lines)])
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"准考证 {ticket.ticket_no}")
    width, height = A4
    draw_text(pdf, width / 2, height - 30 * mm, "职业技能等级认定准考证", size=20, align="centre")
    top = height - 50 * mm
    pdf.rect(width - 55 * mm, top - 40 * mm, 30 * mm, 40 * mm)  # photo box, 30 × 40 mm (一寸 is 25 × 35)
    if picture is None:
        draw_text(pdf, width - 40 * mm, top - 21 * mm, "照片", size=10, align="centre")
    else:
        pdf.drawImage(picture, width - 55 * mm + 1, top - 40 * mm + 1, 30 * mm - 2, 40 * mm - 2,
                      preserveAspectRatio=True, anchor="c")
    y = top - 6 * mm
    for label, value in lines:
        draw_text(pdf, 25 * mm, y, f"{label}：", size=11)
        draw_text(pdf, 58 * mm, y, value, size=11)
        y -= 9 * mm
    image = qrcode.make(verify_url, box_size=8, border=2).get_image()
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    pdf.drawImage(ImageReader(png), width - 60 * mm, y - 45 * mm, 40 * mm, 40 * mm)
    note_y = y - 12 * mm
    for note in notes:
        draw_text(pdf, 25 * mm, note_y, note, size=10)
        note_y -= 7 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
