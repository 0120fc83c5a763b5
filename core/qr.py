"""QR symbols for printed documents: the `qrcode` library's symbol, with its mask chosen faster.

Of the time `qrcode` takes to make a 150-character symbol (13.6 ms on this machine), four fifths go to choosing the
mask: it lays the data out under each of the eight masks and scores each with ISO/IEC 18004's penalty rules in
pure Python. A batch of 10,000 certificates spends two minutes of one core there alone (bench/certificate_generation
.py). `qr_matrix` lets `qrcode` fit the version, encode the data with its error correction and lay it out once,
scores the eight masks with the same rules vectorised in numpy, and has `qrcode` make the symbol with the winner;
the result is the very symbol `qrcode` would make (tests/core/test_qr.py compares them over many payloads), in a
fifth of the time.

The scoring follows `qrcode.util.lost_point` exactly, as the library's own choice does (so ties go to the lowest
mask): it scores each mask with the format and version areas light (`makeImpl(test=True, …)`), N1 = 3 + (run − 5)
for every run of five or more modules of one colour in a row or column, N2 = 3 for every 2 × 2 block of one colour,
N3 = 40 for every 1:1:3:1:1 finder-like pattern with four light modules before or after it (10111010000 and
00001011101, in rows and columns), N4 = 10 for every 5 % the dark share departs from 50 %.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import qrcode
from numpy.typing import NDArray
from qrcode.constants import ERROR_CORRECT_Q

Matrix = NDArray[np.bool_]

_FINDER_BEFORE = 0b10111010000  # the finder-like pattern followed by four light modules
_FINDER_AFTER = 0b00001011101  # and preceded by them


@lru_cache(maxsize=64)
def _masks(size: int) -> Matrix:
    """The eight mask patterns (ISO/IEC 18004 table 10, as `qrcode.util.mask_func` states them), 8 × size × size."""
    i, j = np.indices((size, size))
    return np.stack([
        (i + j) % 2 == 0,
        i % 2 == 0,
        j % 3 == 0,
        (i + j) % 3 == 0,
        (i // 2 + j // 3) % 2 == 0,
        (i * j) % 2 + (i * j) % 3 == 0,
        ((i * j) % 2 + (i * j) % 3) % 2 == 0,
        ((i * j) % 3 + (i + j) % 2) % 2 == 0,
    ])


@lru_cache(maxsize=64)
def _data_modules(version: int) -> Matrix:
    """Where the data goes in a symbol of `version`: what is left after the function patterns and the format and
    version areas, laid out by `qrcode`'s own methods."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_Q)
    size = code.modules_count = version * 4 + 17
    code.modules = [[None] * size for _ in range(size)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(size - 7, 0)
    code.setup_position_probe_pattern(0, size - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(True, 0)
    if version >= 7:
        code.setup_type_number(True)
    return np.array([[cell is None for cell in row] for row in code.modules], dtype=bool)


def _run_penalty(lines: Matrix) -> NDArray[np.int64]:
    """N1 for each symbol of a stack (k × rows × size): every run of n ≥ 5 modules of one colour in a row costs
    n − 2."""
    count, rows, size = lines.shape
    edges = np.ones((count, rows, size + 1), dtype=bool)
    edges[:, :, 1:-1] = lines[:, :, 1:] != lines[:, :, :-1]
    starts = np.flatnonzero(edges)
    lengths = np.diff(starts)  # run lengths (a row's end to the next row's start counts 1, which costs nothing)
    long = lengths >= 5
    owner = starts[:-1][long] // (rows * (size + 1))
    return np.bincount(owner, weights=lengths[long] - 2, minlength=count).astype(np.int64)


def _finder_penalty(lines: Matrix) -> NDArray[np.int64]:
    """N3 for each symbol of a stack: 40 for each window of 11 modules of a row that reads 10111010000 or
    00001011101 (each window read as an 11-bit number)."""
    width = lines.shape[2] - 10
    bits = lines.astype(np.int16)
    value = np.zeros(lines.shape[:2] + (width,), dtype=np.int16)
    for k in range(11):
        value = (value << 1) | bits[:, :, k:k + width]
    hits = (value == _FINDER_BEFORE) | (value == _FINDER_AFTER)
    counts: NDArray[np.int64] = hits.sum(axis=(1, 2)).astype(np.int64)
    return 40 * counts


def penalties(symbols: Matrix) -> list[int]:
    """`qrcode.util.lost_point` of each symbol of a stack (k × size × size; module docstring)."""
    size = symbols.shape[1]
    columns = symbols.transpose(0, 2, 1)
    score = _run_penalty(symbols) + _run_penalty(columns)
    corner = symbols[:, :-1, :-1]
    blocks = (corner == symbols[:, 1:, :-1]) & (corner == symbols[:, :-1, 1:]) & (corner == symbols[:, 1:, 1:])
    score += 3 * blocks.sum(axis=(1, 2))
    score += _finder_penalty(symbols) + _finder_penalty(columns)
    dark = symbols.sum(axis=(1, 2))
    balance = [int(abs(float(int(d)) / (size**2) * 100 - 50) / 5) * 10 for d in dark]  # as qrcode computes it
    return [int(s) + b for s, b in zip(score, balance, strict=True)]


def qr_code(payload: str, error_correction: int = ERROR_CORRECT_Q) -> qrcode.QRCode:
    """`qrcode`'s symbol of `payload`, made with the mask it would choose (module docstring)."""
    code = qrcode.QRCode(error_correction=error_correction, border=0)
    code.add_data(payload)
    code.best_fit()
    code.makeImpl(True, 0)  # the data laid out once, under mask 0, format and version areas light
    laid = np.array(code.modules, dtype=bool)
    size = laid.shape[0]
    data = _data_modules(code.version)
    masks = _masks(size)
    unmasked = laid ^ (masks[0] & data)
    candidates = np.where(data, unmasked ^ masks, laid)  # the eight symbols, format and version areas light
    scores = penalties(candidates)
    best = scores.index(min(scores))  # the first lowest, as qrcode's strict comparison picks it
    code.modules = candidates[best].tolist()
    code.setup_type_info(False, best)  # what makeImpl(False, best) would write: format, version, dark module
    if code.version >= 7:
        code.setup_type_number(False)
    return code


def qr_matrix(payload: str, error_correction: int = ERROR_CORRECT_Q) -> list[list[bool]]:
    """The symbol of `payload` without quiet zone, True for a dark module."""
    return [[bool(cell) for cell in row] for row in qr_code(payload, error_correction).modules]
