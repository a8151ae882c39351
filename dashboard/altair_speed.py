"""Altair 6 rebuilds its schema-to-class table on every shorthand encoding ("rate:Q"); build it once per process.

`SchemaBase.from_dict` makes a new `_FromDict(classes)`, which JSON-hashes the schema of every one of
Altair's ~800 wrapper classes, each time `encode(x="rate:Q")` wraps a shorthand string: about 10 ms per
channel, most of the time a chart builder takes. The table depends only on the set of classes, so it is
kept per set here. Upstream draft with the same idea: vega/altair#3547. Importing this module applies it.
"""

from __future__ import annotations

import threading

from altair.utils import schemapi

_original_init = schemapi._FromDict.__init__
_tables: dict[tuple, dict] = {}
_lock = threading.Lock()


def _cached_init(self, wrapper_classes, /) -> None:
    classes = tuple(wrapper_classes)
    table = _tables.get(classes)
    if table is None:
        _original_init(self, classes)
        with _lock:
            _tables.setdefault(classes, self.class_dict)
        return
    # from_dict only reads the table (a defaultdict: a miss adds an empty list, which is harmless to share)
    self.class_dict = table


def apply() -> None:
    """Idempotent: patch `_FromDict.__init__` unless already patched (or Altair changed shape)."""
    if getattr(schemapi, "_FromDict", None) is not None and schemapi._FromDict.__init__ is not _cached_init:
        schemapi._FromDict.__init__ = _cached_init


apply()
