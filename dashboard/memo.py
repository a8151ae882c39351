"""Chart builders remembered per (builder, rows, arguments): a page's rerun reuses the chart instead of rebuilding it.

Streamlit reruns the whole page on every click; building an Altair chart (encodings, layers, properties)
costs tens of milliseconds each, most of a warm rerun. The builders in dashboard/charts.py are pure
functions of a small aggregated DataFrame and plain arguments, so the same input gives the same chart.
`memoise_builders(vars(charts))` wraps every public builder (return annotation mentions `alt.`) in a bounded
LRU keyed on the builder, a digest of each DataFrame's schema and rows, and the other arguments. Calls whose
arguments cannot be keyed (an unhashable object) simply run the builder. Returned charts are shared:
callers treat them as read-only (Altair's own methods return copies).

The other helpers here serve the same end, each with its own lifetime:
- `per_version(wh, key, fn)`: a page's derived frames (its "view"), per data version in the bounded query cache;
- `derived(obj, slot, fn)`: a value computed from one frame object (digest, Arrow table, tile texts), as long as
  that object lives;
- `per_run(name, fn)`: an answer asked several times in one script run (who is logged in, the warehouse);
- `styler(frame)`: a pandas Styler that works its per-cell styles out once, for a table drawn on every rerun.
"""

from __future__ import annotations

import functools
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import polars as pl

MAX_ENTRIES = 256


class _Unkeyable(Exception):
    pass


_DERIVED: dict[int, tuple[weakref.ref, dict]] = {}  # id(object) -> (a weak reference to it, {slot: value})


def derived(obj: Any, slot: Any, compute: Callable[[], Any]) -> Any:
    """`compute()` remembered on `obj` under `slot` for as long as `obj` lives (a weak reference, so nothing is kept
    alive): for values derived from a frame the query cache or `Warehouse.memo` hands out again on every rerun
    (its digest, its Arrow table). Frames are not changed in place in this app, so the value stays right.
    """
    key = id(obj)
    hit = _DERIVED.get(key)
    if hit is None or hit[0]() is not obj:
        # the callback runs when obj is freed, before its id can be reused by another object
        hit = (weakref.ref(obj, lambda _ref, key=key, table=_DERIVED: table.pop(key, None)), {})
        _DERIVED[key] = hit
    values = hit[1]
    if slot not in values:
        values[slot] = compute()
    return values[slot]


def frame_digest(df: pl.DataFrame) -> tuple:
    """Schema and the ordered 64-bit hash of every row: equal frames (same rows, same order) give equal digests.

    Remembered per frame object (`derived`): the frames a page gets on a rerun are mostly the same objects.
    """
    return derived(df, "digest", lambda: (
        "frame", tuple((k, str(v)) for k, v in df.schema.items()), tuple(df.hash_rows(seed=7).to_list())))


def _key(value: Any) -> Any:
    if isinstance(value, pl.DataFrame):
        return frame_digest(value)
    if isinstance(value, list | tuple):
        return (type(value).__name__, *(_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *sorted((k, _key(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        raise _Unkeyable from None
    return value


def memoise(fn: Callable, cache: OrderedDict | None = None, lock: threading.Lock | None = None,
            max_entries: int = MAX_ENTRIES) -> Callable:
    cache = OrderedDict() if cache is None else cache
    lock = lock or threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            key = (fn.__qualname__, _key(args), _key(kwargs))
        except _Unkeyable:
            return fn(*args, **kwargs)
        with lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        value = fn(*args, **kwargs)
        with lock:
            cache[key] = value
            while len(cache) > max_entries:
                cache.popitem(last=False)
        return value

    wrapper.__memoised__ = fn  # type: ignore[attr-defined]
    wrapper.cache = cache  # type: ignore[attr-defined]
    return wrapper


_CACHE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def is_builder(name: str, obj: Any, module: str) -> bool:
    return (callable(obj) and getattr(obj, "__module__", None) == module and not name.startswith(("_", "describe_"))
            and "alt." in str(getattr(obj, "__annotations__", {}).get("return", ""))
            and not hasattr(obj, "__memoised__"))


def memoise_builders(namespace: dict[str, Any]) -> list[str]:
    """Wrap the chart builders of a module namespace (e.g. vars(dashboard.charts)) in place; idempotent.

    Builders that call each other go through the module globals, so they share the cache too.
    """
    module = namespace["__name__"]
    names = [n for n, obj in list(namespace.items()) if is_builder(n, obj, module)]
    for name in names:
        namespace[name] = memoise(namespace[name], _CACHE, _LOCK)
    return names


def per_version(wh: Any, key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` remembered per data version through `wh.memo` (bounded, dropped by a load); computed each
    time for a warehouse stand-in without one. For what a page derives from query results on every rerun."""
    cache = getattr(wh, "memo", None)
    return cache(key, compute) if cache is not None else compute()


def _this_run() -> dict | None:
    """A dict that lives for one script run of this session; None outside a Streamlit run.

    Keyed on the run's cursor table, which Streamlit replaces at the start of every run.
    """
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    memo = getattr(ctx, "_stuurhut_run", None)
    if memo is None or memo[0] is not ctx.cursors:
        memo = (ctx.cursors, {})
        ctx._stuurhut_run = memo
    return memo[1]


def run_value(name: str) -> Any:
    """What `set_run_value(name, ...)` stored earlier in this script run; None outside a run or before it."""
    run = _this_run()
    return None if run is None else run.get(name)


def set_run_value(name: str, value: Any) -> None:
    """Remember `value` for the rest of this script run (nothing outside a run)."""
    run = _this_run()
    if run is not None:
        run[name] = value


def per_run(name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` once per script run (every call outside a run): for answers the shell and the page both ask
    for in one run, such as who is logged in (the secrets and accounts files) or the open warehouse.
    What changes them (a login, a logout, a new file) reruns the app, so the next run sees it."""
    run = _this_run()
    if run is None:
        return compute()
    if name not in run:
        run[name] = compute()
    return run[name]


def styler(frame: Any) -> Any:
    """`frame.style` (a pandas Styler) that works its styles out once, for a table shown on every rerun.

    Streamlit draws a Styler by calling its `_compute()` and `_translate()` (the per-cell styles and display
    texts) each time: tens of milliseconds for a few thousand cells. A page keeps its Styler per data version
    (`Warehouse.memo`), so their results are remembered on the object (as instance attributes: Streamlit
    recognises a Styler by its exact class). The frame and the styles must not change after the first drawing
    (map/apply them right away, as the callers here do).
    """
    style = frame.style
    lock = threading.Lock()
    computed: list = []
    translated: dict = {}
    compute, translate = style._compute, style._translate  # the class's methods, bound to this Styler

    def _compute():  # noqa: ANN202 - pandas' signature
        with lock:
            if not computed:
                computed.append(compute())
        return style

    def _translate(*args: Any, **kwargs: Any):  # noqa: ANN202 - pandas' signature
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # pandas' own renderers pass lists: not the rerun path, so not kept
            return translate(*args, **kwargs)
        with lock:
            if key not in translated:
                found = translate(*args, **kwargs)
                translated[key] = _plain_cells_left_out(found, style.data) if key == _STREAMLIT_CALL else found
            return translated[key]

    style._compute, style._translate = _compute, _translate
    return style


_STREAMLIT_CALL = ((False, False), ())  # how Streamlit asks a Styler for its cells (pandas_styler_utils)
_CELL = re.compile(r"row(\d+)_col(\d+)")  # the cell ids Streamlit reads display values from


def _plain_cells_left_out(translated: dict, data: Any) -> dict:
    """The translated Styler without the body cells whose display text is the value's own text.

    Streamlit starts from `data.astype(str)` and then writes every body cell's display text over it, one cell at
    a time in Python: for a table of a thousand cells most of a rerun. A cell whose display text equals its
    `str()` changes nothing there, so leaving it out gives the same table. Cell styles come from "cellstyle",
    which stays whole.
    """
    from enum import Enum

    plain = data.astype(str).to_numpy()
    body = []
    for row in translated.get("body", []):
        kept = []
        for cell in row:
            match = _CELL.match(cell.get("id") or "")
            shown = cell.get("display_value")
            if (match and not isinstance(shown, Enum)
                    and str(shown) == plain[int(match.group(1)), int(match.group(2))]):
                continue
            kept.append(cell)
        body.append(kept)
    return {**translated, "body": body}
