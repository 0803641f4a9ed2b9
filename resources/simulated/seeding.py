"""Stable seeding: every random draw in the simulated league comes from a generator seeded by a
hash of named parts (league seed, season, game, ...), never from Python's `hash()` or a global RNG,
so the same seed yields the same league on every run, platform and request order."""

from __future__ import annotations

import hashlib

import numpy as np


def _digest(parts: tuple) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, (bool, np.bool_)):
            text = "T" if part else "F"
        elif isinstance(part, (int, np.integer)):
            text = str(int(part))
        else:
            text = str(part)
        h.update(text.encode("utf-8"))
        h.update(b"\x1f")
    return h.digest()


def rng(*parts) -> np.random.Generator:
    """A numpy generator seeded from the stable hash of `parts` (ints and strings)."""
    return np.random.default_rng(int.from_bytes(_digest(parts), "little"))


def stable_hex(*parts) -> str:
    """32 lowercase hex characters derived from `parts` (used for Odds API event ids)."""
    return _digest(parts).hex()


def stable_int(*parts, modulo: int) -> int:
    """A stable non-negative integer below `modulo` derived from `parts`."""
    return int.from_bytes(_digest(parts), "little") % modulo
