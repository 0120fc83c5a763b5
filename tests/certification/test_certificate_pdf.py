"""The certificate PDF (issue 13 item 3): A4 landscape, the QR code decoded back from a rendered page, the page's
text read back (a rare name with 𠅤 U+20164 and 䶮 U+4DAE, the number), a name no installed font covers refused
naming its character, the photo drawn or a bad one refused, and the zip that reports a failure and still holds
the others. The PDFs are rendered with pypdfium2 and the QR decoded with zxing-cpp, both independent of reportlab
and qrcode. The rare-character tests need the fallback fonts (fonts-hanazono, which `make browser` installs) and
skip saying so where they are missing."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.utils import translation
from PIL import Image

from certification.certificate_pdf import (
    PHOTO_BOX,
    QR_SIDE,
    REPORT_NAME,
    CertificateToDraw,
    PhotoInvalid,
    certificate_pdf,
    certificate_zip_bytes,
)
from certification.domain.certificate_facts import CertificateFacts
from certification.domain.ladder import SkillLevel
from core.pdf_fonts import FALLBACK_CANDIDATES, GlyphMissing, font_chain
from core.qr import qr_matrix

RARE_NAME = "王𠅤䶮"  # 𠅤: CJK Ext B (plane 2), in HanaMinA/B only; 䶮: Ext A
# CJK Ext G (plane 3, Unicode 13): in none of Zen Hei, HanaMinA, HanaMinB, BabelStone Han 15.0.5 (checked with
# their charmaps: BabelStone covers 3,045 of Ext G's 4,939, not this one).
UNCOVERED = "\U00030041"
PAYLOAD = ("https://jineng.example.cn/verify/S000037000123264000001.k2026-01."
           "3q2-7wW8vX1yZ0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV")
MM = 72 / 25.4  # points per millimetre

needs_rare_fonts = pytest.mark.skipif(
    not all(Path(path).is_file() for path, _index in FALLBACK_CANDIDATES[:2]),
    reason="fonts-hanazono (HanaMinA/HanaMinB) is not installed: `make browser` installs it (README)")


def _facts(**changes: object) -> CertificateFacts:
    facts = CertificateFacts(
        number="S000037000123264000001", holder_name=RARE_NAME, id_number_masked="3701**********1234",
        occupation_code="6-18-02-04", occupation_name="焊工", level=SkillLevel(4), title="",
        issuer_name="济南市职业技能鉴定中心", issued_on=date(2026, 7, 15))
    return replace(facts, **changes)  # type: ignore[arg-type]


def _photo(kind: str = "JPEG", size: tuple[int, int] = (350, 490), colour: tuple[int, ...] = (30, 90, 200)) -> bytes:
    image = Image.new("RGBA" if kind == "PNG" else "RGB", size, colour)
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def _page(data: bytes) -> pypdfium2.PdfPage:
    document = pypdfium2.PdfDocument(data)
    assert len(document) == 1
    return document[0]


@pytest.fixture(scope="module")
def rare_pdf() -> bytes:
    if not all(Path(path).is_file() for path, _index in FALLBACK_CANDIDATES[:2]):
        pytest.skip("fonts-hanazono (HanaMinA/HanaMinB) is not installed: `make browser` installs it (README)")
    return certificate_pdf(_facts(), qr_payload=PAYLOAD, photo=_photo())


def test_the_certificate_is_one_a4_landscape_page(rare_pdf: bytes) -> None:
    page = _page(rare_pdf)
    width, height = page.get_size()
    assert (round(width / MM), round(height / MM)) == (297, 210)


def test_the_qr_code_decodes_to_the_payload_at_error_correction_q_and_at_least_25_mm(rare_pdf: bytes) -> None:
    scale = 3  # 216 dpi, a phone camera's view of a printed page or better
    image = _page(rare_pdf).render(scale=scale).to_pil()
    [code] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert code.text == PAYLOAD
    assert code.ec_level == "Q"
    position = code.position
    side_mm = abs(position.top_right.x - position.top_left.x) / scale / MM
    assert side_mm >= 25 and abs(side_mm - QR_SIDE / MM) < 1.5


def test_a_long_payload_grows_the_symbol_so_no_module_is_under_half_a_millimetre() -> None:
    payload = "https://jineng.example.cn/verify/" + "1403227219241938958540796080558752976141" * 10  # certcrypto's
    scale = 3
    image = _page(certificate_pdf(_facts(holder_name="李四"), qr_payload=payload)).render(scale=scale).to_pil()
    [code] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert code.text == payload and code.ec_level == "Q"
    side_mm = abs(code.position.top_right.x - code.position.top_left.x) / scale / MM
    modules = len(qr_matrix(payload))
    assert side_mm / modules >= 0.49 and side_mm > QR_SIDE / MM + 1


def test_the_page_text_carries_the_rare_name_and_the_number(rare_pdf: bytes) -> None:
    text = _page(rare_pdf).get_textpage().get_text_range()
    assert RARE_NAME in text  # the supplementary-plane character too: the ToUnicode map is right
    for expected in ("职业技能等级证书", "S000037000123264000001", "3701**********1234", "焊工", "6-18-02-04",
                     "四级/中级工", "济南市职业技能鉴定中心", "2026年7月15日", "扫描二维码核验本证书的真伪与状态"):
        assert expected in text
    assert "370102" not in text  # only the masked ID number is printed


@needs_rare_fonts
def test_the_rare_characters_are_drawn_in_a_fallback_font_and_the_rest_in_the_main_one() -> None:
    chain = font_chain()
    runs = chain.runs(RARE_NAME)
    assert [piece for _font, piece in runs] == ["王", "𠅤", "䶮"]
    assert runs[0][0] == runs[2][0] == chain.name != runs[1][0]


def test_an_appointment_letter_prints_its_title_as_the_level() -> None:
    data = certificate_pdf(_facts(holder_name="李四", level=SkillLevel(1), title="首席技师"), qr_payload=PAYLOAD)
    assert "首席技师" in _page(data).get_textpage().get_text_range()


@needs_rare_fonts
def test_no_installed_font_has_the_character_the_refusal_test_uses() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    chain = font_chain()
    files = [(chain.main.path, 0), *chain.fallback_files]
    for path, index in files:
        assert ord(UNCOVERED) not in TTFont("probe", path, subfontIndex=index).face.charToGlyph, path


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_name_no_font_covers_is_refused_naming_the_character(language: str) -> None:
    with pytest.raises(GlyphMissing) as refused:
        certificate_pdf(_facts(holder_name=f"张{UNCOVERED}"), qr_payload=PAYLOAD)
    assert refused.value.params["char"] == UNCOVERED and refused.value.params["codepoint"] == "U+30041"
    with translation.override(language):
        message = refused.value.message
    assert UNCOVERED in message and "U+30041" in message
    assert ("都无法显示" if language == "zh-hans" else "can show") in message


def test_a_photo_is_drawn_in_its_frame() -> None:
    for photo in (_photo("JPEG"), _photo("PNG", (1200, 1600), (30, 90, 200, 255)), _photo("JPEG", (3000, 4000))):
        data = certificate_pdf(_facts(holder_name="李四"), qr_payload=PAYLOAD, photo=photo)
        page = _page(data)
        images = [obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
        assert len(images) == 1
        left, bottom, right, top = images[0].get_bounds()
        assert right - left <= PHOTO_BOX[0] + 0.5 and top - bottom <= PHOTO_BOX[1] + 0.5
        assert len(data) < 400_000  # a big photo is scaled down before it is embedded
        rendered = page.render(scale=1).to_pil().convert("RGB")
        centre = (int((left + right) / 2), int(page.get_height() - (bottom + top) / 2))
        red, green, blue = rendered.getpixel(centre)  # type: ignore[misc]
        assert blue > 150 and red < 80


def test_without_a_photo_no_image_is_drawn() -> None:
    page = _page(certificate_pdf(_facts(holder_name="李四"), qr_payload=PAYLOAD))
    assert not [obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]


@pytest.mark.parametrize(("photo", "code"), [
    (b"not an image at all", "certificate_pdf.photo_unreadable"),
    (_photo("JPEG")[:400], "certificate_pdf.photo_unreadable"),  # truncated
    (_photo("GIF"), "certificate_pdf.photo_format"),
    (_photo("BMP"), "certificate_pdf.photo_format"),
])
def test_a_bad_photo_is_refused_with_a_clear_error(photo: bytes, code: str) -> None:
    with pytest.raises(PhotoInvalid) as refused:
        certificate_pdf(_facts(holder_name="李四"), qr_payload=PAYLOAD, photo=photo)
    assert refused.value.code == code
    assert "JPEG" in refused.value.message and "PNG" in refused.value.message


def test_an_enormous_photo_is_refused_before_it_is_decoded() -> None:
    out = io.BytesIO()
    Image.new("L", (8000, 6000)).save(out, format="PNG")  # 48 megapixels, a small file
    with pytest.raises(PhotoInvalid) as refused:
        certificate_pdf(_facts(holder_name="李四"), qr_payload=PAYLOAD, photo=out.getvalue())
    assert refused.value.code == "certificate_pdf.photo_too_large" and "8000 × 6000" in refused.value.message


def test_the_zip_reports_a_failure_and_still_holds_the_others() -> None:
    items = [
        CertificateToDraw(_facts(number="S000037000123264000001", holder_name="李四"), PAYLOAD),
        CertificateToDraw(_facts(number="S000037000123264000002", holder_name=f"张{UNCOVERED}"), PAYLOAD),
        CertificateToDraw(_facts(number="S000037000123264000003", holder_name="王五"), PAYLOAD, b"broken"),
        CertificateToDraw(_facts(number="S000037000123264000004", holder_name="赵六"), PAYLOAD, _photo()),
    ]
    data, outcome = certificate_zip_bytes(items)
    assert outcome.made == 2 and outcome.failed == 2
    failed = dict(outcome.failures)
    assert list(failed) == ["S000037000123264000002", "S000037000123264000003"]
    assert "U+30041" in failed["S000037000123264000002"] and "JPEG" in failed["S000037000123264000003"]
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["S000037000123264000001.pdf", "S000037000123264000004.pdf", REPORT_NAME]
    for name in ("S000037000123264000001.pdf", "S000037000123264000004.pdf"):
        page = _page(archive.read(name))
        assert name.removesuffix(".pdf") in page.get_textpage().get_text_range()
    report = archive.read(REPORT_NAME).decode("utf-8-sig")
    assert "共 4 张：已生成 2 张，失败 2 张。" in report
    assert "S000037000123264000002\t失败\t" in report and "U+30041" in report
    assert "S000037000123264000001\t已生成" in report


def test_a_number_listed_twice_in_a_zip_is_reported_once_generated() -> None:
    item = CertificateToDraw(_facts(holder_name="李四"), PAYLOAD)
    data, outcome = certificate_zip_bytes([item, item])
    assert outcome.made == 1 and [number for number, _reason in outcome.failures] == [item.facts.number]
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == [f"{item.facts.number}.pdf", REPORT_NAME]
