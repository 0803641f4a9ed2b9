"""Point-in-time joins: what was known about a key strictly before a date, for many dates at once."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def strictly_before(
    targets: pd.DataFrame,
    events: pd.DataFrame,
    by: str | Sequence[str],
    columns: Sequence[str],
    days_earlier: int = 0,
    on: str = "game_date",
) -> pd.DataFrame:
    """For each target row, `columns` of the latest event of the same `by` dated strictly before
    the target's date minus `days_earlier` days; NaN where there is none. Index aligned with `targets`.

    Events are state after each event (running totals, rolling windows ending with it), so the row
    found is everything known before the target date: the target's own date never contributes.
    """
    by = [by] if isinstance(by, str) else list(by)
    left = targets[by + [on]].copy()
    left["_order"] = range(len(left))
    left["_cutoff"] = left[on].astype("datetime64[ns]") - pd.Timedelta(days=days_earlier)
    right = events[by + [on] + [c for c in columns if c not in by and c != on]].rename(columns={on: "_event_date"})
    right["_event_date"] = right["_event_date"].astype("datetime64[ns]")
    right = right.dropna(subset=["_event_date"]).sort_values("_event_date", kind="stable")
    left = left.sort_values("_cutoff", kind="stable")
    for key in by:
        if left[key].dtype != right[key].dtype:
            left[key], right[key] = left[key].astype("string"), right[key].astype("string")
    merged = pd.merge_asof(
        left, right, left_on="_cutoff", right_on="_event_date", by=by, allow_exact_matches=False, direction="backward"
    )
    merged = merged.sort_values("_order").set_index(targets.index)
    out = merged[[c for c in columns if c != on]].copy()
    if on in columns:
        out[on] = merged["_event_date"]
    return out[list(columns)]
