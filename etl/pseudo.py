"""Pseudonymisation of personal fields: a keyed hash (HMAC-SHA256) so the same person matches across files."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import polars as pl

KEY_NAME = ".stuurhut.key"
HEX_CHARS = 16


def key_path(db: Path) -> Path:
    """$STUURHUT_KEY_FILE, else `.stuurhut.key` next to the database (git-ignored in data/)."""
    env = os.environ.get("STUURHUT_KEY_FILE")
    return Path(env) if env else Path(db).resolve().parent / KEY_NAME


def load_key(db: Path) -> bytes:
    """The pseudonymisation key, created with mode 0600 on first use."""
    path = key_path(db)
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two first loads racing must end up with one key, not two different ones.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise ValueError(f"Sleutelbestand {path} is te kort of leeg; verwijder het niet, maar herstel het uit een back-up.")
    return bytes.fromhex(text) if all(c in "0123456789abcdefABCDEF" for c in text) else text.encode()


def normalise_identity(value: str) -> str:
    """Same person, same pseudonym: ignore surrounding spaces, case and inner whitespace runs."""
    return " ".join(value.split()).casefold()


def digest(value: str, key: bytes) -> str:
    return hmac.new(key, normalise_identity(value).encode("utf-8"), hashlib.sha256).hexdigest()[:HEX_CHARS]


MEMO_MAX = 200_000  # pseudonyms kept across the slices of a big sheet (a few thousand people is usual)


def pseudonymise(series: pl.Series, key: bytes, memo: dict[str, str | None] | None = None) -> pl.Series:
    """Replace every value by its keyed hash; each distinct value is hashed once, then mapped back.

    memo: pseudonyms already made, shared by the slices of one column of a big sheet (etl/read.py SheetChunks), so
    the same people are not hashed again in every slice; it stops growing at MEMO_MAX values.
    """
    text = series.cast(pl.String)
    # distinct values first: a million attendance rows name a few thousand people
    distinct = text.drop_nulls().unique()
    # the keyed state is built once and copied per value: HMAC's key set-up was most of the cost of hmac.new
    base = hmac.new(key, digestmod=hashlib.sha256)
    seen = memo if memo is not None else {}
    mapping = {}
    for v in distinct.to_list():
        if v in seen:
            h = seen[v]
        else:
            person = normalise_identity(v)
            h = None
            if person:  # an empty cell is no person: keep it empty rather than hashing ""
                d = base.copy()
                d.update(person.encode("utf-8"))
                h = d.hexdigest()[:HEX_CHARS]
            if memo is not None and len(memo) < MEMO_MAX:
                memo[v] = h
        if h is not None:
            mapping[v] = h
    return text.replace_strict(mapping, default=None, return_dtype=pl.String).alias(series.name)
