"""Read-only access to the warehouse file: named SQL queries with bound parameters, a bounded cache, reopen on reload."""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

SQL_DIR = Path(__file__).parent / "sql"
CACHE_ENTRIES = 256
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class MissingDatabase(FileNotFoundError):
    """The database file does not exist (yet): build it with `stuurhut demo` or `stuurhut load`."""


class UnknownQuery(KeyError):
    """No dashboard/sql/<name>.sql file."""


def _version_of(path: Path) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise MissingDatabase(str(path)) from None
    return (st.st_ino, st.st_mtime_ns)


class Warehouse:
    """The DuckDB file as the dashboard, slides and CLI read it.

    Loads replace the file with os.replace, so the connection is reopened whenever the file's
    (inode, mtime) changes. One connection is shared; every call runs on it under a lock,
    because Streamlit calls from several script threads at once. Results are cached per
    (query name, parameters, data version), at most CACHE_ENTRIES of them.
    """

    def __init__(self, path: str | os.PathLike, sql_dir: Path = SQL_DIR, cache_entries: int = CACHE_ENTRIES):
        self.path = Path(path)
        self.sql_dir = Path(sql_dir)
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._version: tuple[int, int] | None = None
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_entries = cache_entries
        self._texts: dict[str, str] = {}
        self._local = threading.local()  # .pin: (connection, version) of this thread's snapshot
        self._pinned: dict[int, int] = {}  # id(connection) -> open snapshots on it; closed when the last ends
        self._connect()

    # -- connection -------------------------------------------------------------------------------
    def _connect(self) -> None:
        version = _version_of(self.path)
        if self._con is not None and version == self._version:
            return
        if self._con is not None and id(self._con) not in self._pinned:
            self._con.close()  # a pinned one is closed when its last snapshot ends
        self._con = _open_read_only(self.path)
        self._version = version
        self._cache.clear()

    def _current(self) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
        """(connection, version) to read from: this thread's snapshot, else the newest file. Call under the lock."""
        pin = getattr(self._local, "pin", None)
        if pin is not None:
            return pin
        self._connect()
        return self._con, self._version  # type: ignore[return-value]

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read of this thread inside the block sees one data version, even when a load swaps the file.

        A page makes many queries; without this, a load finishing halfway shows the old delivery in one tile
        and the new one in the next (a "half load" to the reader). The replaced file stays readable through
        the open connection until the last snapshot on it ends. Nested snapshots share the outer one.
        """
        if getattr(self._local, "pin", None) is not None:
            yield
            return
        with self._lock:
            self._connect()
            con, version = self._con, self._version
            self._pinned[id(con)] = self._pinned.get(id(con), 0) + 1
            self._local.pin = (con, version)
        try:
            yield
        finally:
            with self._lock:
                self._local.pin = None
                left = self._pinned.pop(id(con)) - 1
                if left:
                    self._pinned[id(con)] = left
                elif con is not self._con:
                    con.close()

    @property
    def version(self) -> tuple[int, int]:
        """The data version: (inode, mtime_ns) of the file; changes with every load (fixed inside a snapshot)."""
        with self._lock:
            return self._current()[1]

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    # -- queries ----------------------------------------------------------------------------------
    def sql_text(self, name: str) -> str:
        if name not in self._texts:
            path = self.sql_dir / f"{name}.sql"
            if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
                raise UnknownQuery(name)
            self._texts[name] = path.read_text(encoding="utf-8")
        return self._texts[name]

    def sql(self, name: str, **params: Any) -> pl.DataFrame:
        """Run dashboard/sql/<name>.sql with named parameters ($deal, $year, $as_of ...).

        Parameters the query uses but the caller leaves out are bound as NULL; extra ones are ignored.
        """
        text = self.sql_text(name)
        used = dict.fromkeys(_PARAM.findall(text))
        bound = {k: params.get(k) for k in used}
        with self._lock:
            con, version = self._current()
            key = (name, tuple(sorted((k, _hashable(v)) for k, v in bound.items())), version)
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
            frame = con.sql(text, params=bound).pl() if bound else con.sql(text).pl()
            self._cache[key] = frame
            while len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)
            return frame

    def memo(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A value derived from query results (e.g. the indicators with their status), cached like query results.

        Keyed on (key, data version) in the same bounded LRU, so a load invalidates it and a rerun of a page
        does not redo the Python post-processing. The value must be treated as read-only.
        """
        with self._lock:
            full = ("memo", key, self._current()[1])
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
            value = compute()
            self._cache[full] = value
            while len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)
            return value

    def query(self, text: str, **params: Any) -> pl.DataFrame:
        """An ad-hoc read-only query with bound parameters (tests and benchmarks; not cached)."""
        with self._lock:
            con = self._current()[0]
            return con.sql(text, params=params).pl() if params else con.sql(text).pl()


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """The file attached read-only to a private in-memory instance, under the catalog name a plain connect gives.

    Not duckdb.connect(path): DuckDB hands out one shared instance per path, so while a snapshot keeps the
    replaced file open, "reopening" the path would return the old data again.
    """
    con = duckdb.connect(":memory:")
    try:
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"ATTACH {literal} AS {_ident(path.stem)} (READ_ONLY)")
        con.execute(f"USE {_ident(path.stem)}")
    except BaseException:
        con.close()
        raise
    return con


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _hashable(value: Any) -> Any:
    if isinstance(value, list | set | tuple):
        return tuple(value)
    return value
