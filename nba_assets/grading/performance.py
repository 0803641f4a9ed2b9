"""Each system's record as of a date: rolling 7 and 30 days and season to date, overall, by edge
bucket and by confidence decile (a calibration table). Plain functions of graded rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.partitions import season_of, season_start_year
from nba_assets.picks import OVER, UNDER, wilson_interval

PERIODS = {"7d": 7, "30d": 30, "season": None}
EDGE_BUCKETS = [(0.0, 1.5, "|edge| < 1.5"), (1.5, 3.0, "1.5-3"), (3.0, 5.0, "3-5"), (5.0, np.inf, "5+")]
PERFORMANCE_COLUMNS = {
    "game_date": "datetime64[us]", "system_id": "string", "period": "string", "segment_type": "string", "segment": "string",
    "picks": "Int64", "wins": "Int64", "losses": "Int64", "pushes": "Int64", "voided": "Int64", "hit_rate": "float64",
    "hit_rate_low": "float64", "hit_rate_high": "float64", "played": "Int64", "mae": "float64", "bias": "float64", "line_mae": "float64", "mean_confidence": "float64",
}


def summarize(rows: pd.DataFrame) -> dict[str, float | int]:
    """The record of a set of graded rows, the one place a hit rate is computed: picks, wins, losses,
    pushes and voided picks; hit rate = wins / (wins + losses) with its 95% interval; MAE and bias
    over players who played, the line's MAE on those with a line, the picks' mean confidence."""
    picks = rows[rows["result"].notna()]
    wins, losses = int((picks["result"] == "win").sum()), int((picks["result"] == "loss").sum())
    low, high = wilson_interval(wins, wins + losses)
    played = rows[~rows["is_voided"].astype(bool) & rows["actual_points"].notna()]
    with_line = played[played["line"].notna()]
    error = played["predicted_points"] - played["actual_points"]
    return {
        "picks": len(picks), "wins": wins, "losses": losses, "pushes": int((picks["result"] == "push").sum()),
        "voided": int((rows["is_voided"].astype(bool) & rows["recommendation"].isin([OVER, UNDER])).sum()),
        "hit_rate": wins / (wins + losses) if wins + losses else np.nan, "hit_rate_low": low, "hit_rate_high": high,
        "played": len(played), "mae": float(error.abs().mean()) if len(played) else np.nan, "bias": float(error.mean()) if len(played) else np.nan,
        "line_mae": float(with_line["line_absolute_error"].mean()) if len(with_line) else np.nan,
        "mean_confidence": float(picks["confidence"].mean()) if len(picks) else np.nan,
    }


def compared_rows(grades: pd.DataFrame) -> pd.DataFrame:
    """Graded rows of the player-games with a real line where the player played and every system
    predicted: the rows on which the systems and the line are compared."""
    played = grades[~grades["is_voided"].astype(bool) & grades["line"].notna() & grades["predicted_points"].notna()]
    every = played.groupby(["game_id", "player_lookup"])["system_id"].transform("nunique") == played["system_id"].nunique()
    return played[every]


def edge_buckets(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(label, rows): all rows, then each edge bucket."""
    size = rows["edge"].abs()
    return [("all", rows), *((label, rows[(size >= low) & (size < high)]) for low, high, label in EDGE_BUCKETS)]


def segments(rows: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(segment_type, segment, rows): overall, each edge bucket, each confidence decile of the picks."""
    buckets = edge_buckets(rows)
    out = [("overall", "all", rows), *(("edge_bucket", label, part) for label, part in buckets[1:])]
    picks = rows[rows["result"].isin(["win", "loss"])]
    if len(picks) >= 10:
        deciles = pd.qcut(picks["confidence"].rank(method="first"), 10, labels=False)
        out += [("confidence_decile", f"{int(d) + 1:02d}", picks[deciles == d]) for d in range(10)]
    return out


def performance(grades: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The record of every system as of `as_of` (graded rows dated on or before it)."""
    grades = grades[grades["game_date"] <= as_of]
    season = grades[season_start_year(grades["game_date"]) == season_of(as_of)]
    records = []
    for period, days in PERIODS.items():
        rows = season if days is None else grades[grades["game_date"] > as_of - pd.Timedelta(days=days)]
        for system, by_system in rows.groupby("system_id"):
            for segment_type, segment, part in segments(by_system):
                records.append({"game_date": as_of, "system_id": system, "period": period, "segment_type": segment_type, "segment": segment, **summarize(part)})
    return pd.DataFrame(records, columns=list(PERFORMANCE_COLUMNS)).astype(PERFORMANCE_COLUMNS)
