"""Static guard: the product never runs a Python callback inside Polars (map_elements and the like).

A native Polars call (to_pandas, to_arrow, ...) holds the GIL while it waits for Polars' thread pool; a callback
on that pool from another session's thread waits for the GIL, and the whole server hangs for good. Text for
charts and tables is made in Python on the calling thread instead (dashboard.format.formatted).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("dashboard", "etl", "pages", "streamlit_app.py")
# Polars methods that call back into Python from Polars' thread pool, whatever object they are called on
CALLBACKS = {"map_elements", "map_batches", "map_rows", "map_groups", "rolling_map"}
# names that are harmless elsewhere (our own adapters.apply, a11y.apply, functools.reduce) but callbacks when
# reached from polars: pl.col("x").apply(f), pl.fold(acc, f, exprs)
POLARS_ONLY = {"apply", "fold", "reduce", "cum_fold", "cum_reduce"}


def _polars_names(tree: ast.Module) -> set[str]:
    """The names a module binds to polars or to something imported from it (pl, polars, col ...)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] == "polars"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "polars":
            names |= {a.asname or a.name for a in node.names}
    return names


def _root(node: ast.expr) -> str | None:
    """The name an attribute chain starts from: pl.col("a").str -> "pl"."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def polars_callbacks(source: str, filename: str = "<string>") -> list[str]:
    """ "file:line: code" for every Polars callback in `source`."""
    tree = ast.parse(source, filename)
    polars = _polars_names(tree) | {"pl", "polars"}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr in CALLBACKS or (node.attr in POLARS_ONLY and _root(node.value) in polars):
            found.append((node.lineno, node.col_offset, ast.get_source_segment(source, node) or node.attr))
    return [f"{filename}:{line}: {code}" for line, _, code in sorted(found)]


def product_files() -> list[Path]:
    files = []
    for name in SCANNED:
        path = ROOT / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def test_the_product_runs_no_python_callbacks_inside_polars() -> None:
    files = product_files()
    names = {f.relative_to(ROOT).as_posix() for f in files}
    # the scan must really cover the code that built the frames with callbacks before
    assert {"dashboard/charts.py", "dashboard/queries/survey.py", "etl/read.py", "streamlit_app.py"} <= names
    assert any(n.startswith("pages/") for n in names)
    found = [hit for f in files for hit in polars_callbacks(f.read_text(encoding="utf-8"), f.relative_to(ROOT).as_posix())]
    assert found == [], "Python callbacks inside Polars (compute the text in Python, see dashboard.format.formatted):\n" \
        + "\n".join(found)


SAMPLE = '''
import polars as pl
import polars
from polars import col as c

df = pl.DataFrame({"a": [1]})
a = df.with_columns(pl.col("a").map_elements(lambda v: v + 1, return_dtype=pl.Int64))
b = df.select(pl.col("a").map_batches(lambda s: s))
d = df.map_rows(lambda r: r)
e = df["a"].map_elements(str)
f = pl.col("a").apply(str)
g = polars.Expr.apply
h = df.select(pl.fold(0, lambda acc, x: aci + x, pl.all()))
i = df.group_by("a").map_groups(lambda g: g)
j = df.select(c("a").apply(str))
k = df.select(pl.col("a").rolling_map(sum, 3))
'''


def test_the_guard_names_file_and_line_of_each_callback() -> None:
    assert polars_callbacks(SAMPLE, "dashboard/voorbeeld.py") == [
        'dashboard/voorbeeld.py:7: pl.col("a").map_elements',
        'dashboard/voorbeeld.py:8: pl.col("a").map_batches',
        "dashboard/voorbeeld.py:9: df.map_rows",
        'dashboard/voorbeeld.py:10: df["a"].map_elements',
        'dashboard/voorbeeld.py:11: pl.col("a").apply',
        "dashboard/voorbeeld.py:12: polars.Expr.apply",
        "dashboard/voorbeeld.py:13: pl.fold",
        'dashboard/voorbeeld.py:14: df.group_by("a").map_groups',
        'dashboard/voorbeeld.py:15: c("a").apply',
        'dashboard/voorbeeld.py:16: pl.col("a").rolling_map',
    ]


def test_the_guard_allows_our_own_apply_and_text_about_callbacks() -> None:
    source = '''
import functools
import polars as pl
from dashboard import a11y
from etl import adapters

a11y.apply("nl")
out, extra, probs = adapters.apply(t.adapter, df.select(["__row"]), headers, file=file, sheet=sheet)
total = functools.reduce(lambda x, y: x + y, [1, 2])
text = "never map_elements: it deadlocks"
label = formatted(df["a"], str)
df = df.pipe(lambda d: d)
'''
    assert polars_callbacks(source, "etl/read.py") == []
