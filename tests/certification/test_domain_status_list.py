"""The revocation status list's bitstring (certification/domain/status_list.py), W3C Bitstring Status List v1.0."""

from __future__ import annotations

import base64
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification.domain import status_list as sl


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    bits = sl.bitstring([0, 9])
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000


def test_a_list_holds_131072_entries_in_16_kb() -> None:
    assert len(sl.bitstring([])) == 16 * 1024


def test_encoded_list_is_u_then_unpadded_base64url_of_gzip() -> None:
    encoded = sl.encoded_list([5])
    assert encoded.startswith("u") and "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == sl.bitstring([5])


def test_the_same_bits_always_give_the_same_string() -> None:
    assert sl.encoded_list([1, 2, 3]) == sl.encoded_list([3, 2, 1])


def test_the_specs_example_list_decodes() -> None:
    # The Recommendation's example encodedList (all 131,072 entries clear)
    example = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    bits = sl.decode(example)
    assert len(bits) * 8 == 131_072 and not any(bits)


@given(st.sets(st.integers(0, sl.MIN_ENTRIES - 1), max_size=50))
def test_round_trip_keeps_exactly_the_set_indexes(indexes: set[int]) -> None:
    bits = sl.decode(sl.encoded_list(indexes))
    for index in list(indexes)[:10] + [0, 1, sl.MIN_ENTRIES - 1]:
        assert sl.is_set(bits, index) == (index in indexes)
    assert sum(bin(b).count("1") for b in bits) == len(indexes)


@pytest.mark.parametrize(("encoded", "code"), [
    ("H4sIAAAA", "status_list.bad_encoding"),
    ("u!!!", "status_list.bad_encoding"),
    ("u" + base64.urlsafe_b64encode(b"not gzip").decode(), "status_list.bad_encoding"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 100)).decode(), "status_list.too_small"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * (sl.MAX_BITSTRING_BYTES + 1))).decode(),
     "status_list.too_large"),
])
def test_bad_lists_are_refused(encoded: str, code: str) -> None:
    with pytest.raises(sl.StatusListError) as caught:
        sl.decode(encoded)
    assert caught.value.code == code


def test_an_index_outside_the_list_is_refused() -> None:
    with pytest.raises(sl.StatusListError):
        sl.bitstring([sl.MIN_ENTRIES])
