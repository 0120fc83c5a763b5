"""RFC 6962 hashing, roots and proofs (audit.merkle), checked against pymerkle (an independent RFC 9162
implementation) and by hypothesis properties."""

from __future__ import annotations

import hashlib
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree
from pymerkle import verify_consistency as pymerkle_verify_consistency
from pymerkle import verify_inclusion as pymerkle_verify_inclusion

from audit import merkle

data_lists = st.lists(st.binary(max_size=40), min_size=1, max_size=70)


def _pymerkle(data: list[bytes]) -> InmemoryTree:
    tree = InmemoryTree()
    for item in data:
        tree.append_entry(item)
    return tree


def test_hashing_follows_rfc_6962() -> None:
    assert merkle.leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert merkle.node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    assert merkle.root([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 100])
def test_roots_match_pymerkle_including_non_powers_of_two(n: int) -> None:
    data = [f"entry {i}".encode() for i in range(n)]
    tree = _pymerkle(data)
    leaves = [merkle.leaf_hash(d) for d in data]
    for size in range(1, n + 1):
        assert merkle.root(leaves[:size]) == tree.get_root(size)


def test_the_split_is_the_largest_power_of_two_below_n() -> None:
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(7)]
    left, right = merkle.root(leaves[:4]), merkle.root(leaves[4:])
    assert merkle.root(leaves) == merkle.node_hash(left, right)
    assert merkle.root(leaves[4:]) == merkle.node_hash(merkle.node_hash(leaves[4], leaves[5]), leaves[6])


@settings(max_examples=60, deadline=None)
@given(data_lists)
def test_frontier_root_is_the_tree_root_at_every_size(data: list[bytes]) -> None:
    leaves = [merkle.leaf_hash(d) for d in data]
    frontier = merkle.Frontier.empty()
    for size, leaf in enumerate(leaves, start=1):
        frontier = frontier.extend([leaf])
        assert frontier.size == size and len(frontier.nodes) == bin(size).count("1")
        assert frontier.root() == merkle.root(leaves[:size])


@settings(max_examples=40, deadline=None)
@given(data_lists, st.data())
def test_inclusion_proofs_are_pymerkles_path_and_verify(data: list[bytes], draw: st.DataObject) -> None:
    tree = _pymerkle(data)
    leaves = [merkle.leaf_hash(d) for d in data]
    size = draw.draw(st.integers(1, len(leaves)))
    index = draw.draw(st.integers(0, size - 1))
    proof = merkle.inclusion_proof(index, leaves[:size])
    theirs = tree.prove_inclusion(index + 1, size)
    assert theirs.path == [leaves[index], *proof]  # pymerkle's path starts with the leaf itself
    root = merkle.root(leaves[:size])
    pymerkle_verify_inclusion(leaves[index], root, theirs)  # raises when it does not hold
    assert merkle.verify_inclusion(index=index, tree_size=size, leaf=leaves[index], proof=proof, expected_root=root)


@settings(max_examples=40, deadline=None)
@given(data_lists, st.data())
def test_consistency_proofs_verify_here_and_match_pymerkles_roots(data: list[bytes], draw: st.DataObject) -> None:
    tree = _pymerkle(data)
    leaves = [merkle.leaf_hash(d) for d in data]
    second = draw.draw(st.integers(1, len(leaves)))
    first = draw.draw(st.integers(1, second))
    proof = merkle.consistency_proof(first, leaves[:second])
    first_root, second_root = merkle.root(leaves[:first]), merkle.root(leaves[:second])
    assert merkle.verify_consistency(first_size=first, second_size=second, first_root=first_root,
                                     second_root=second_root, proof=proof)
    theirs = tree.prove_consistency(first, second)
    # pymerkle's path has its own layout (with rule bits), so the paths are not compared; its verifier accepting
    # the roots computed here shows the two trees agree at both sizes.
    pymerkle_verify_consistency(first_root, second_root, theirs)


@settings(max_examples=60, deadline=None)
@given(data_lists, st.data())
def test_a_proof_for_anything_else_fails(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [merkle.leaf_hash(d) for d in data]
    size = len(leaves)
    index = draw.draw(st.integers(0, size - 1))
    root = merkle.root(leaves)
    proof = merkle.inclusion_proof(index, leaves)
    other = merkle.leaf_hash(b"not in the tree")
    assert not merkle.verify_inclusion(index=index, tree_size=size, leaf=other, proof=proof, expected_root=root)
    assert not merkle.verify_inclusion(index=index, tree_size=size, leaf=leaves[index], proof=proof,
                                       expected_root=other)
    if size > 1:
        wrong = (index + 1) % size
        assert not merkle.verify_inclusion(index=wrong, tree_size=size, leaf=leaves[index], proof=proof,
                                           expected_root=root) or leaves[wrong] == leaves[index]
    if size > 1:
        first = draw.draw(st.integers(1, size - 1))
        cproof = merkle.consistency_proof(first, leaves)
        changed = [*leaves[: first - 1], other, *leaves[first:]]
        assert not merkle.verify_consistency(first_size=first, second_size=size, first_root=merkle.root(leaves[:first]),
                                             second_root=merkle.root(changed), proof=cproof)
        if cproof:
            assert not merkle.verify_consistency(first_size=first, second_size=size,
                                                 first_root=merkle.root(leaves[:first]), second_root=root,
                                                 proof=cproof[:-1])


def test_bounds_are_refused() -> None:
    leaves = [merkle.leaf_hash(b"a")]
    with pytest.raises(ValueError):
        merkle.inclusion_proof(1, leaves)
    with pytest.raises(ValueError):
        merkle.consistency_proof(2, leaves)
    assert not merkle.verify_inclusion(index=1, tree_size=1, leaf=leaves[0], proof=[], expected_root=leaves[0])
    assert not merkle.verify_consistency(first_size=2, second_size=1, first_root=b"", second_root=b"", proof=[])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert merkle.Frontier.of(leaves).root() == leaves[0]
