"""Stuurhut dashboard library: data access, queries, charts and UI components."""

from __future__ import annotations

from typing import Any

import polars as pl

_POLARS_TO_PANDAS = pl.DataFrame.to_pandas


def _to_pandas_via_arrow(self: pl.DataFrame, *args: Any, **kwargs: Any) -> Any:
    """DataFrame.to_pandas through to_arrow: the same frame, without one of the native calls that can deadlock.

    Polars' native calls (to_pandas, to_arrow, ...) hold the GIL while they wait for the polars thread pool; when
    another session's thread has a Python callback (map_elements and the like) on that pool waiting for the GIL,
    the whole server hangs for good (pola-rs/polars#26821, #27396). This detour alone does not prevent that: the
    product itself no longer runs any Python callback inside Polars (text for charts and tables is made on the
    calling thread, dashboard.format.formatted; tests/test_no_polars_callbacks.py guards it). It stays as belt
    and braces, since Streamlit calls to_pandas for every polars frame given to st.dataframe or st.table.
    """
    if args or kwargs.get("use_pyarrow_extension_array") or not self.width or any(
            dtype.is_object() for dtype in self.dtypes):
        return _POLARS_TO_PANDAS(self, *args, **kwargs)
    kwargs.pop("use_pyarrow_extension_array", None)
    kwargs.setdefault("date_as_object", False)
    return self.to_arrow().to_pandas(**kwargs)


pl.DataFrame.to_pandas = _to_pandas_via_arrow  # type: ignore[method-assign]
