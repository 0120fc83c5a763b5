"""core.qr makes the very symbol the qrcode library makes, with the mask chosen by the same penalty rules in numpy
(ISO/IEC 18004 §7.8.3 as qrcode.util.lost_point scores it): compared symbol for symbol over many payloads, short
and long (version 7 and up carry version information), at every error correction level, and the penalty compared
with qrcode's own on random matrices."""

from __future__ import annotations

import numpy as np
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode import util
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from core.qr import penalties, qr_matrix

LEVELS = [ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H]


def _qrcode_symbol(payload: str, level: int) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=level, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


@settings(max_examples=150, deadline=None)
@given(payload=st.text(min_size=1, max_size=300), level=st.sampled_from(LEVELS))
def test_the_symbol_is_the_one_qrcode_makes(payload: str, level: int) -> None:
    assert qr_matrix(payload, level) == _qrcode_symbol(payload, level)


@settings(max_examples=60, deadline=None)
@given(tail=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=0,
                    max_size=400))
def test_a_verification_url_gets_the_symbol_qrcode_makes(tail: str) -> None:
    payload = f"https://jineng.example.cn/verify/S000037000123264000001.{tail}"
    assert qr_matrix(payload) == _qrcode_symbol(payload, ERROR_CORRECT_Q)


@settings(max_examples=40, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=2000), level=st.sampled_from(LEVELS))
def test_numeric_payloads_up_to_the_largest_versions_get_qrcodes_symbol(digits: str, level: int) -> None:
    payload = f"https://jineng.example.cn/verify/{digits}"  # certcrypto's payload: one long number after the URL
    assert qr_matrix(payload, level) == _qrcode_symbol(payload, level)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), version=st.integers(1, 12))
def test_the_penalty_is_qrcodes_lost_point(seed: int, version: int) -> None:
    size = version * 4 + 17
    rng = np.random.default_rng(seed)
    stack = rng.random((3, size, size)) < rng.uniform(0.2, 0.8)
    stack[1, :, : size // 2] = True  # long runs and big blocks as well as noise
    assert penalties(stack) == [util.lost_point(m.tolist()) for m in stack]
