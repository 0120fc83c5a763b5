"""QR symbols for printed documents: the `qrcode` library's symbol, made ten times faster.

`qrcode` takes 14–18 ms for a 150-character URL and 29 ms for certcrypto's 440-character numeric one on this
machine (qr_matrix: 1.7 and 2.9 ms, measured side by side at a load average of 3.7), in pure Python: four
fifths choosing the mask (the data laid out under each of the eight masks and each scored with ISO/IEC 18004's
penalty rules), the rest writing the bit stream one bit at a time and dividing polynomials for the Reed–Solomon
error correction. For 10,000 certificates that is minutes of a core (bench/certificate_generation.py).
`qr_matrix` keeps qrcode's decisions and does the arithmetic faster: qrcode splits the text into segments (its
`add_data`), the version is fitted as `best_fit` fits it, the bit stream is built as strings, the error correction
uses qrcode's own log tables and generator polynomials, the data modules are placed in `map_data`'s order (cached
per version), the eight masks are scored at once in numpy, and qrcode's own methods write the format and version
information. The result is the very symbol `qrcode` makes, module for module (tests/core/test_qr.py compares them
over many payloads, every error correction level, numeric, alphanumeric and byte segments, versions 1 to 40).

The scoring follows `qrcode.util.lost_point` exactly, as the library's own choice does (so ties go to the lowest
mask): each mask is scored with the format and version areas light (`makeImpl(test=True, …)`), N1 = 3 + (run − 5)
for every run of five or more modules of one colour in a row or column, N2 = 3 for every 2 × 2 block of one colour,
N3 = 40 for every 1:1:3:1:1 finder-like pattern with four light modules before or after it (10111010000 and
00001011101, in rows and columns), N4 = 10 for every 5 % the dark share departs from 50 %.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import numpy as np
import qrcode
from numpy.typing import NDArray
from qrcode import LUT, base, util
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.exceptions import DataOverflowError

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
def _layout(version: int) -> tuple[Matrix, Matrix, tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """The function patterns of a symbol of `version` with the format and version areas light (what qrcode scores
    masks on), where the data goes, and the data modules in the order qrcode's `map_data` fills them (two-module
    columns from the right, up and down in turn, skipping the vertical timing pattern). Laid out by qrcode's own
    methods."""
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
    data = np.array([[cell is None for cell in row] for row in code.modules], dtype=bool)
    template = np.array([[bool(cell) for cell in row] for row in code.modules], dtype=bool)
    rows: list[int] = []
    cols: list[int] = []
    row, step = size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if data[row, c]:
                    rows.append(row)
                    cols.append(c)
            row += step
            if row < 0 or row >= size:
                row -= step
                step = -step
                break
    return template, data, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp))


def _segment_bits(data_list: list[util.QRData], version: int) -> str:
    """The segments as qrcode's `create_data` writes them (mode, length, data), as a string of 0 and 1."""
    sizes = util.mode_sizes_for_version(version)
    out: list[str] = []
    for data in data_list:
        out.append(format(data.mode, "04b"))
        out.append(format(len(data), f"0{sizes[data.mode]}b"))
        raw = data.data
        if data.mode == util.MODE_NUMBER:
            out += [format(int(raw[i:i + 3]), f"0{util.NUMBER_LENGTH[len(raw[i:i + 3])]}b")
                    for i in range(0, len(raw), 3)]
        elif data.mode == util.MODE_ALPHA_NUM:
            for i in range(0, len(raw), 2):
                pair = raw[i:i + 2]
                if len(pair) > 1:
                    out.append(format(util.ALPHA_NUM.find(pair[0]) * 45 + util.ALPHA_NUM.find(pair[1]), "011b"))
                else:
                    out.append(format(util.ALPHA_NUM.find(pair), "06b"))
        elif data.mode == util.MODE_8BIT_BYTE:
            out.append(format(int.from_bytes(raw, "big"), f"0{8 * len(raw)}b") if raw else "")
        else:  # kanji: qrcode's own writer
            buffer = util.BitBuffer()
            data.write(buffer)
            out.append("".join("1" if buffer.get(i) else "0" for i in range(len(buffer))))
    return "".join(out)


def _fit(data_list: list[util.QRData], error_correction: int, start: int = 1) -> int:
    """The smallest version that holds the data: qrcode's `best_fit`."""
    needed = len(_segment_bits(data_list, start))
    version = bisect_left(util.BIT_LIMIT_TABLE[error_correction], needed, start)
    if version == 41:
        raise DataOverflowError()
    if util.mode_sizes_for_version(start) is not util.mode_sizes_for_version(version):
        return _fit(data_list, error_correction, version)
    return version


@lru_cache(maxsize=64)
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    """The logs of the Reed–Solomon generator polynomial's coefficients after the leading 1 (qrcode's table)."""
    if ec_count in LUT.rsPoly_LUT:
        coefficients = list(LUT.rsPoly_LUT[ec_count])
    else:
        poly = base.Polynomial([1], 0)
        for i in range(ec_count):
            poly = poly * base.Polynomial([1, base.gexp(i)], 0)
        coefficients = [poly[i] for i in range(len(poly))]
    return tuple(base.glog(c) for c in coefficients[1:])


def _codewords(data_list: list[util.QRData], version: int, error_correction: int) -> list[int]:
    """qrcode's `create_data`: the data bits terminated and padded, cut into blocks, each followed by its
    Reed–Solomon error correction, interleaved."""
    blocks = base.rs_blocks(version, error_correction)
    limit = sum(block.data_count * 8 for block in blocks)
    bits = _segment_bits(data_list, version)
    if len(bits) > limit:
        raise DataOverflowError(f"Code length overflow. Data size ({len(bits)}) > size available ({limit})")
    bits += "0" * min(limit - len(bits), 4)
    bits += "0" * (-len(bits) % 8)
    words = [int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)]
    words += [util.PAD0 if i % 2 == 0 else util.PAD1 for i in range((limit - len(bits)) // 8)]
    exp, log = base.EXP_TABLE, base.LOG_TABLE
    data_blocks: list[list[int]] = []
    ec_blocks: list[list[int]] = []
    offset = 0
    for block in blocks:
        current = words[offset:offset + block.data_count]
        offset += block.data_count
        ec_count = block.total_count - block.data_count
        generator = _generator_logs(ec_count)
        remainder = [0] * ec_count
        for word in current:
            factor = word ^ remainder[0]
            remainder = remainder[1:] + [0]
            if factor:
                lf = log[factor]
                for j, lg in enumerate(generator):
                    remainder[j] ^= exp[(lg + lf) % 255]
        data_blocks.append(current)
        ec_blocks.append(remainder)
    out = [b[i] for i in range(max(map(len, data_blocks))) for b in data_blocks if i < len(b)]
    out += [b[i] for i in range(max(map(len, ec_blocks))) for b in ec_blocks if i < len(b)]
    return out


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


def qr_matrix(payload: str, error_correction: int = ERROR_CORRECT_Q) -> list[list[bool]]:
    """The symbol of `payload` without quiet zone, True for a dark module: qrcode's own (module docstring)."""
    code = qrcode.QRCode(error_correction=error_correction, border=0)
    code.add_data(payload)  # qrcode splits the text into numeric, alphanumeric and byte segments
    version = _fit(code.data_list, error_correction)
    template, data, order = _layout(version)
    bits = np.unpackbits(np.array(_codewords(code.data_list, version, error_correction), dtype=np.uint8))
    placed = np.zeros(len(order[0]), dtype=bool)  # the remainder modules after the last codeword stay light
    placed[:min(len(bits), len(placed))] = bits[:len(placed)].astype(bool)
    unmasked = np.zeros_like(data)
    unmasked[order] = placed
    masks = _masks(data.shape[0])
    candidates = np.where(data, unmasked ^ masks, template)  # the eight symbols, format and version areas light
    scores = penalties(candidates)
    best = scores.index(min(scores))  # the first lowest, as qrcode's strict comparison picks it
    code.version, code.modules_count = version, data.shape[0]
    code.modules = candidates[best].tolist()
    code.setup_type_info(False, best)  # what makeImpl(False, best) writes: format, version, the dark module
    if version >= 7:
        code.setup_type_number(False)
    return [[bool(cell) for cell in row] for row in code.modules]
