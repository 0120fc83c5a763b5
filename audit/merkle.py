"""The audit log's Merkle tree (DESIGN.md "Audit at scale"), as pure functions: RFC 6962 / RFC 9162 section 2.1.

Hashing (RFC 6962 section 2.1): a leaf is `sha256(0x00 || data)`, an inner node `sha256(0x01 || left || right)`,
the empty tree `sha256("")`. A tree of n > 1 leaves splits at k, the largest power of two smaller than n: its root
is `node(MTH(D[0:k]), MTH(D[k:n]))`. Everything here works on leaf hashes (bytes of 32), so the leaf data need not
be held in memory.

- `root(leaves)`: the Merkle tree hash (MTH).
- `inclusion_proof(index, leaves)` and `verify_inclusion(...)`: RFC 6962 2.1.1 PATH and RFC 9162 2.1.3.2.
- `consistency_proof(m, leaves)` and `verify_consistency(...)`: RFC 6962 2.1.2 PROOF and RFC 9162 2.1.4.2.
- `Frontier`: the roots of the perfect subtrees along the tree's right edge (at most log2(n) hashes), which is
  all a sealer needs to extend the tree and compute its new root without re-reading the old leaves.

Leaf indexes count from 0 (RFC 9162); sizes count leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """sha256(0x00 || data): the hash of one leaf (RFC 6962 2.1)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """sha256(0x01 || left || right): the hash of an inner node (RFC 6962 2.1)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 6962 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes (RFC 6962 2.1)."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (RFC 6962 2.1.1): the sibling hashes from leaf `index` up to the root, bottom first."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_proof(index, leaves[:k]) + [root(leaves[k:])]
    return inclusion_proof(index - k, leaves[k:]) + [root(leaves[:k])]


def consistency_proof(first_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) (RFC 6962 2.1.2): shows the tree of the first m leaves is a prefix of the tree of all n."""
    n = len(leaves)
    if not 0 <= first_size <= n:
        raise ValueError(f"a tree of {first_size} cannot be a prefix of a tree of {n}")
    if first_size in (0, n):
        return []
    return _subproof(first_size, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], whole) + [root(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [root(leaves[:k])]


def verify_inclusion(*, index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show leaf hash `leaf` at `index` in the tree of `tree_size` with this root?"""
    if not 0 <= index < tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(*, first_size: int, second_size: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: does `proof` show the tree of `first_size` (first_root) is a prefix of the tree of
    `second_size` (second_root)?"""
    if not 0 <= first_size <= second_size:
        return False
    if first_size == second_size:
        return not proof and first_root == second_root
    if first_size == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    path = list(proof)
    if first_size & (first_size - 1) == 0:  # a power of two: the first root is itself a node of the second tree
        path = [first_root, *path]
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


@dataclass(frozen=True, slots=True)
class Frontier:
    """The right edge of a tree of `size` leaves: one perfect-subtree root per set bit of `size`, largest
    (leftmost) first. Appending is a binary counter's carry; the root folds the edge from the right."""

    size: int
    nodes: tuple[bytes, ...]

    @staticmethod
    def empty() -> Frontier:
        return Frontier(0, ())

    @staticmethod
    def of(leaves: Sequence[bytes]) -> Frontier:
        return Frontier.empty().extend(leaves)

    def extend(self, leaves: Sequence[bytes]) -> Frontier:
        size, nodes = self.size, list(self.nodes)
        for leaf in leaves:
            node = leaf
            carry = size
            while carry & 1:  # merge equal-sized perfect subtrees, as adding 1 carries through the low 1-bits
                node = node_hash(nodes.pop(), node)
                carry >>= 1
            nodes.append(node)
            size += 1
        return Frontier(size, tuple(nodes))

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        acc = self.nodes[-1]
        for node in reversed(self.nodes[:-1]):
            acc = node_hash(node, acc)
        return acc
