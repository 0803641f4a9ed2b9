"""A range's record is computed once for all its dates, and is the record of each date on its own."""

import numpy as np
import pandas as pd

from nba_assets.grading.performance import EDGE_BUCKETS, PERFORMANCE_COLUMNS, PERIODS, performance, summarize
from nba_assets.partitions import season_of, season_start_year


def one_date(grades: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The record as of one date, row set by row set: each period's, system's and segment's rows
    selected by hand and summarised (what `performance` does with running totals)."""
    grades = grades[grades["game_date"] <= as_of]
    records = []
    for period, days in PERIODS.items():
        rows = grades[season_start_year(grades["game_date"]) == season_of(as_of)] if days is None else grades[grades["game_date"] > as_of - pd.Timedelta(days=days)]
        for system, mine in rows.groupby("system_id"):
            size = mine["edge"].abs()
            parts = [("overall", "all", mine), *(("edge_bucket", label, mine[(size >= low) & (size < high)]) for low, high, label in EDGE_BUCKETS)]
            picks = mine[mine["result"].isin(["win", "loss"])]
            if len(picks) >= 10:
                decile = pd.qcut(picks["probability"].rank(method="first"), 10, labels=False)
                parts += [("probability_decile", f"{d + 1:02d}", picks[decile == d]) for d in range(10)]
            records += [{"game_date": as_of, "system_id": system, "period": period, "segment_type": kind, "segment": name, **summarize(part)}
                        for kind, name, part in parts]
    return pd.DataFrame(records, columns=list(PERFORMANCE_COLUMNS)).astype(PERFORMANCE_COLUMNS)


def test_a_range_run_is_each_date_on_its_own(paying_slice):
    grades = paying_slice["grades"].sample(frac=1.0, random_state=7)  # ties in probability go by the rows' order, whatever it is
    dates = sorted(pd.Timestamp(d) for d in grades["game_date"].unique())
    together = performance(grades, dates)
    alone = pd.concat([one_date(grades, day) for day in dates], ignore_index=True)
    assert (together["segment_type"] == "probability_decile").sum() > 0 and together["picks"].sum() > 0  # the slice has picks to rank
    pd.testing.assert_frame_equal(together, alone, check_exact=False, rtol=1e-9, atol=1e-12)
    pd.testing.assert_frame_equal(performance(grades, dates[-1]), alone[alone["game_date"] == dates[-1]].reset_index(drop=True))


def test_a_record_without_rows_or_dates_is_empty_not_an_error(paying_slice):
    grades = paying_slice["grades"]
    assert performance(grades.head(0), [grades["game_date"].max()]).empty and performance(grades, []).empty
    record = summarize(grades.head(0))
    assert record["picks"] == 0 and np.isnan(record["hit_rate"]) and np.isnan(record["hit_rate_low"]) and np.isnan(record["mae"])
    assert isinstance(summarize(grades)["wins"], int)
