"""The revocation status list in the W3C Bitstring Status List v1.0 form (DESIGN.md "Certification" →
"Certificates": revocation is published as a signed Bitstring Status List keyed on the certificate; issue 13
item 6). Pure: bits in, an `encodedList` string out, and back.

The rules of the Recommendation, followed exactly:
- one bit per certificate (statusSize 1, statusPurpose `revocation`); a set bit means the certificate at that
  index is no longer valid;
- the bitstring holds at least 131,072 entries (16 KB), so a list says nothing about how many certificates
  were issued (certificates take random free indexes, certcore's `status_index`);
- index 0 is the left-most bit: the most significant bit of the first byte (§3.4 "Bitstring Expansion",
  "the first index, with a value of zero (0), is located at the left-most bit in the bitstring");
- `encodedList` is the multibase base64url (no padding) of the GZIP of the bitstring: the letter `u`, then
  base64url. GZIP's header carries a time; we write 0 there, so the same bits always give the same string (and
  the same ETag).

Where the design is silent: a superseded certificate (换证/补证: a re-issue replaced it) has its bit set like a
revoked one, since it no longer stands; the online page tells the two apart and links the successor. Decoding
refuses a list whose bitstring expands beyond `MAX_BITSTRING_BYTES` (a GZIP bomb from a forged file) or falls
short of the minimum.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from collections.abc import Iterable

MIN_ENTRIES = 131_072
MAX_BITSTRING_BYTES = 16 * 1024 * 1024  # 134 million entries: far above any list we make


class StatusListError(ValueError):
    """A status list is malformed: `code` is stable (`status_list.bad_encoding` …)."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(code, detail)


def bitstring(set_indexes: Iterable[int], size: int = MIN_ENTRIES) -> bytes:
    """The bitstring of `size` entries (a multiple of 8, at least MIN_ENTRIES) with the given indexes set."""
    if size < MIN_ENTRIES or size % 8:
        raise StatusListError("status_list.bad_size", str(size))
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise StatusListError("status_list.index_out_of_range", str(index))
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(bits: bytes) -> str:
    """`encodedList`: "u" + base64url(GZIP(bits)), without padding; deterministic (GZIP time 0)."""
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def encoded_list(set_indexes: Iterable[int], size: int = MIN_ENTRIES) -> str:
    """The `encodedList` of a list with these indexes set."""
    return encode(bitstring(set_indexes, size))


def decode(encoded: str) -> bytes:
    """The bitstring of an `encodedList`; `StatusListError` when it is not one."""
    if not encoded.startswith("u"):
        raise StatusListError("status_list.bad_encoding", "no multibase u prefix")
    text = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError("status_list.bad_encoding", str(exc)) from exc
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing only
    try:
        bits = inflater.decompress(compressed, MAX_BITSTRING_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError("status_list.bad_encoding", str(exc)) from exc
    if len(bits) > MAX_BITSTRING_BYTES or inflater.unconsumed_tail:
        raise StatusListError("status_list.too_large", f"> {MAX_BITSTRING_BYTES} bytes")
    if not inflater.eof:
        raise StatusListError("status_list.bad_encoding", "truncated GZIP")
    if len(bits) * 8 < MIN_ENTRIES:
        raise StatusListError("status_list.too_small", f"{len(bits) * 8} entries")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    """The bit at `index` (index 0 the most significant bit of the first byte)."""
    if not 0 <= index < len(bits) * 8:
        raise StatusListError("status_list.index_out_of_range", str(index))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
