"""A candidate's ID photo (证件照) as the platform keeps it: checked and normalised once, when it is uploaded.

Real practice (the 报名 of 职业技能等级认定): the candidate uploads a recent bareheaded ID photo when registering;
it is printed on the admission ticket, which the staff at the door compare with the face, and on the certificate.
Choices where the design is silent:
- Accepted: a JPEG or PNG file of at most `MAX_BYTES`, decoded in full (a truncated or corrupt file is refused with
  its reason, never stored), at least `MIN_SIDE` pixels on each side (smaller cannot be printed at 一寸) and at most
  the decoder's pixel limit.
- Stored: re-encoded as an upright JPEG of at most `STORED_SIDE` pixels on white (`certificate_pdf.photo_image`
  embeds such a file as it is). Re-encoding drops every metadata block of the original, the GPS position and the
  camera's serial number of a phone photo among them: the platform keeps the face, not where it was taken.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from certification.certificate_pdf import PhotoInvalid
from core.errors import register_messages

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE = 150  # pixels: 一寸 (25 × 35 mm) at about 150 dpi
STORED_SIDE = 800  # pixels: as certificate_pdf.PHOTO_EMBED_SIDE, so the PDF embeds the stored file untouched
MAX_PIXELS = 40_000_000


def normalised_photo(data: bytes) -> bytes:
    """The stored form of an uploaded photo (module docstring); PhotoInvalid naming what is wrong."""
    if len(data) > MAX_BYTES:
        raise PhotoInvalid("photo.too_big", {"size": f"{len(data) / 1024 / 1024:.1f}",
                                             "max": MAX_BYTES // 1024 // 1024},
                           "The photo is {size} MB; at most {max} MB is accepted.")
    try:
        opened = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise PhotoInvalid("certificate_pdf.photo_unreadable", {"reason": type(exc).__name__},
                           "The photo cannot be read as a JPEG or PNG image ({reason}).") from exc
    if opened.format not in ("JPEG", "PNG"):
        raise PhotoInvalid("certificate_pdf.photo_format", {"format": opened.format or "?"},
                           "The photo is a {format} image; a JPEG or PNG one is needed.")
    width, height = opened.size
    if width * height > MAX_PIXELS:
        raise PhotoInvalid("certificate_pdf.photo_too_large", {"width": width, "height": height,
                                                               "max": MAX_PIXELS // 1_000_000},
                           "The photo is {width} × {height} pixels; at most {max} million pixels are accepted.")
    try:
        opened.load()  # decodes every byte: a truncated file fails here, not in a PDF later
        upright = ImageOps.exif_transpose(opened)
    except (OSError, ValueError, SyntaxError) as exc:
        raise PhotoInvalid("certificate_pdf.photo_unreadable", {"reason": type(exc).__name__},
                           "The photo cannot be read as a JPEG or PNG image ({reason}).") from exc
    if min(upright.size) < MIN_SIDE:
        raise PhotoInvalid("photo.too_small", {"width": upright.width, "height": upright.height, "min": MIN_SIDE},
                           "The photo is {width} × {height} pixels; at least {min} pixels on each side are needed.")
    rgba = upright.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    flat.thumbnail((STORED_SIDE, STORED_SIDE))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=90)
    return out.getvalue()


def registration_photo_bytes(registration: Any) -> bytes | None:
    """The stored photo of a registration, or None (no photo, or its file is gone from the storage)."""
    name = registration.photo.name if registration is not None else ""
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        return bytes(stored.read())


register_messages({
    "photo.too_big": _("证件照有 {size} MB，最多接受 {max} MB。"),
    "photo.too_small": _("证件照为 {width} × {height} 像素，每边至少需要 {min} 像素。"),
    "photo.certificate_issued": _("报名“{ticket}”已颁发证书，证件照不能再更换；如需更换，请办理换证。"),
    "photo.missing": _("请选择证件照文件。"),
})
