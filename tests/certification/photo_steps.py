"""Steps for ID photo tests: a photo as a phone makes it."""

from __future__ import annotations

import io

from PIL import Image

GREEN = (30, 190, 60)  # no other part of the ticket or the certificate is this green


def phone_photo(size: tuple[int, int] = (1200, 1600), colour: tuple[int, int, int] = GREEN) -> bytes:
    """A JPEG as a phone makes it: with an EXIF block naming the camera and a GPS position."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (36.0, 40.0, 0.0)}  # GPSInfo: latitude 36°40' N (济南)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
