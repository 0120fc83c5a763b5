"""Generating certificates (issue 13, Performance: "10,000 certificates (PDF + QR + signature) generated in under 2
minutes on this machine's two cores, printed beside a plain reportlab page + qrcode PNG + Ed25519 signature loop as
the reference (ours as a ratio of it)").

Ours, per certificate: an Ed25519 signature over the certificate's key facts, the QR payload built from it, and
`certification.certificate_pdf.certificate_pdf` (font check, A4 landscape face in the CJK font chain, the QR at
level Q drawn as vectors). One certificate in a hundred has a rare name (𠅤, Ext B), so the fallback fonts are in
play, and one in ten a photo (a 350 × 490 JPEG). The reference, per certificate: the same signature and payload,
`qrcode.make(payload)` saved as a PNG, and a plain reportlab A4 landscape page with the number in Helvetica and
the PNG drawn on it. Both run on a pool of two processes (fork; fonts and keys loaded before the fork), 10,000
each; the PDFs are made in memory and their sizes summed (the batch task writes them into a zip, which adds a
copy). Target: ours under 120 s. The machine is shared: beside the wall time the bench prints the CPU time the
workers spent per certificate and what that makes on two idle cores, and the load average.

The signature and the payload are the platform's own, in both loops: `certification.keys.sign_facts` (Ed25519 of
`cryptography` over the facts' signed bytes, with the active key of a key store made for the run in a temporary
folder) and `certification.keys.verification_url`, the QR payload a certificate row carries.

Run from the repository root: `python bench/certificate_generation.py [COUNT]` (COUNT defaults to 10,000).

Figures (2026-12-02, this machine's 2 cores shared with other sessions; 24.6 KiB a certificate PDF):
- 10,000: ours 82.4 s wall (121/s, 8.3 ms CPU each, 42 s on two idle cores: target met), reference 371.4 s
  (35.6 ms CPU each); ratio 0.22 (CPU 0.23). Load average 3.6 at the end.
- 10,000 during a heavier load (4 to 10): ours 189.1 s, reference 665.1 s, ratio 0.28.
- 2,000: ours 10.0 s (8.6 ms CPU each), reference 90.8 s (39.7 ms CPU each).
Ours is faster than the reference because core.qr makes qrcode's symbol in a tenth of qrcode's time and draws it
as vectors, where the reference has qrcode make the symbol and PIL encode a PNG that reportlab decodes again.
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.pool
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
KEYS = tempfile.TemporaryDirectory(prefix="bench-certificate-keys-")
os.environ["CERTIFICATE_KEYS_DIR"] = KEYS.name
os.environ.setdefault("PUBLIC_BASE_URL", "https://jineng.example.cn")

import django  # noqa: E402 - after the path is set

django.setup()

import qrcode  # noqa: E402
from PIL import Image  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from certification import keys  # noqa: E402
from certification.certificate_pdf import certificate_pdf  # noqa: E402
from certification.domain.certificate_facts import CertificateFacts  # noqa: E402
from certification.domain.ladder import SkillLevel  # noqa: E402
from core.pdf_fonts import check_covered  # noqa: E402

COUNT, PROCESSES, TARGET_S = 10_000, 2, 120.0
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
OCCUPATIONS = [("6-18-02-04", "焊工"), ("6-31-01-03", "电工"), ("4-12-01-01", "汽车维修工"), ("6-18-01-01", "车工")]


keys.key_generate()
KID = keys.active_key_id()


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (350, 490), (180, 200, 230)).save(out, format="JPEG", quality=85)
    return out.getvalue()


PHOTO = _photo()


def facts(i: int) -> CertificateFacts:
    rng = random.Random(i)
    name = rng.choice(SURNAMES) + ("𠅤" if i % 100 == 7 else rng.choice(GIVEN)) + rng.choice(GIVEN)
    code, occupation = OCCUPATIONS[i % len(OCCUPATIONS)]
    return CertificateFacts(
        number=f"S000037000123264{i + 1:06d}", holder_name=name, id_number_masked="3701**********" + f"{i:04d}"[-4:],
        occupation_code=code, occupation_name=occupation, level=SkillLevel(4), title="",
        issuer_name="济南市职业技能鉴定中心", issued_on=date(2026, 7, 15), status_list_no=1, status_index=i)


def signed_payload(f: CertificateFacts) -> str:
    return keys.verification_url(f, keys.sign_facts(f))


def ours(i: int) -> int:
    f = facts(i)
    return len(certificate_pdf(f, qr_payload=signed_payload(f), photo=PHOTO if i % 10 == 3 else None))


def reference(i: int) -> int:
    f = facts(i)
    payload = signed_payload(f)
    png = io.BytesIO()
    qrcode.make(payload).save(png)
    png.seek(0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
    pdf.setFont("Helvetica", 14)
    pdf.drawString(30 * mm, 150 * mm, f.number)
    pdf.drawImage(ImageReader(png), 240 * mm, 40 * mm, 30 * mm, 30 * mm)
    pdf.showPage()
    pdf.save()
    return len(buffer.getvalue())


def _chunk(job: tuple[str, int, int]) -> tuple[int, float]:
    kind, start, stop = job
    work = ours if kind == "ours" else reference
    cpu = time.process_time()
    size = sum(work(i) for i in range(start, stop))
    return size, time.process_time() - cpu


def run(kind: str, count: int, pool: multiprocessing.pool.Pool) -> tuple[float, int, float]:
    """Wall seconds, bytes made, and CPU seconds the workers spent (what two idle cores would need: half of it)."""
    step = 100
    jobs = [(kind, start, min(start + step, count)) for start in range(0, count, step)]
    begin = time.perf_counter()
    done = list(pool.imap_unordered(_chunk, jobs))
    return time.perf_counter() - begin, sum(size for size, _cpu in done), sum(cpu for _size, cpu in done)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    check_covered(["王𠅤"])  # the chain and its fallbacks loaded before the fork, shared by the workers
    ours(0)
    reference(0)
    with multiprocessing.get_context("fork").Pool(PROCESSES) as pool:
        ours_s, ours_bytes, ours_cpu = run("ours", count, pool)
        reference_s, reference_bytes, reference_cpu = run("reference", count, pool)
    print(f"certificate generation: {count:,} certificates, {PROCESSES} processes on {os.cpu_count()} cores "
          f"(signature: certification.keys.sign_facts, key {KID})")
    verdict = "met" if ours_s * COUNT / count < TARGET_S else "MISSED"
    idle = ours_cpu / PROCESSES * COUNT / count
    print(f"  ours       {ours_s:7.1f} s   {count / ours_s:6.0f} /s   {ours_bytes / count / 1024:5.1f} KiB a PDF   "
          f"{1000 * ours_cpu / count:5.1f} ms CPU each   (target < {TARGET_S:.0f} s for {COUNT:,}: {verdict})")
    print(f"  reference  {reference_s:7.1f} s   {count / reference_s:6.0f} /s   "
          f"{reference_bytes / count / 1024:5.1f} KiB a PDF   {1000 * reference_cpu / count:5.1f} ms CPU each   "
          "(plain reportlab page + qrcode PNG + Ed25519)")
    print(f"  ratio      {ours_s / reference_s:7.2f} ×   (CPU: {ours_cpu / reference_cpu:.2f} ×)")
    print(f"  on two idle cores (CPU time / {PROCESSES}): {idle:.0f} s for {COUNT:,} "
          f"({'met' if idle < TARGET_S else 'MISSED'}); load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
