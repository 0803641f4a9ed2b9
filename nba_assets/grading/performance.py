"""Each system's record as of a date: rolling 7 and 30 days and season to date, overall, by edge
bucket and by probability decile (a calibration table). Plain functions of graded rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.partitions import season_of, season_start_year
from nba_assets.picks import OVER, UNDER, mean_interval, wilson_interval

PERIODS = {"7d": 7, "30d": 30, "season": None}
EDGE_BUCKETS = [(0.0, 1.5, "|edge| < 1.5"), (1.5, 3.0, "1.5-3"), (3.0, 5.0, "3-5"), (5.0, np.inf, "5+")]
PERFORMANCE_COLUMNS = {
    "game_date": "datetime64[us]", "system_id": "string", "period": "string", "segment_type": "string", "segment": "string",
    "picks": "Int64", "wins": "Int64", "losses": "Int64", "pushes": "Int64", "voided": "Int64", "hit_rate": "float64",
    "hit_rate_low": "float64", "hit_rate_high": "float64", "roi": "float64", "roi_low": "float64", "roi_high": "float64",
    "staked_units": "float64", "units": "float64", "clv_picks": "Int64", "clv_prob": "float64", "clv_line": "float64",
    "clv_book_picks": "Int64", "clv_prob_book": "float64", "clv_line_book": "float64", "played": "Int64", "mae": "float64", "bias": "float64",
    "line_mae": "float64", "scored": "Int64", "log_loss": "float64", "market_log_loss": "float64", "log_loss_diff": "float64",
    "log_loss_diff_low": "float64", "log_loss_diff_high": "float64", "brier": "float64", "market_brier": "float64", "mean_probability": "float64",
}


# What a record is made of: counts and sums over graded rows, which add up over any set of rows.
TOTALS = ("rows", "picks", "wins", "losses", "pushes", "voided", "played", "errors", "error_sum", "abs_error_sum", "lined", "line_error_sum",
          "probable", "probability_sum", "returned", "return_sum", "return_squares", "staked", "units", "clv_market", "clv_prob_market_sum",
          "clv_line_market_sum", "clv_book", "clv_prob_book_sum", "clv_line_book_sum", "scored", "log_loss_sum", "market_log_loss_sum",
          "log_loss_diff_squares", "brier_sum", "market_brier_sum")


def _is(column: pd.Series, value: str) -> np.ndarray:
    return column.eq(value).fillna(False).to_numpy(dtype=bool)


def totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Per graded row, its part of a record (see `record`): 0/1 counts and the sums of its errors."""
    picked = rows["result"].notna().to_numpy()
    voided = rows["is_voided"].astype(bool).to_numpy()
    played = ~voided & rows["actual_points"].notna().to_numpy()
    error = (rows["predicted_points"].astype(float) - rows["actual_points"].astype(float)).where(played)
    line_error = rows["line_absolute_error"].astype(float).where(played & rows["line"].notna().to_numpy())
    probability = rows["probability"].astype(float).where(picked)
    returned = rows["pick_return"].astype(float)
    staked = rows["stake_units"].astype(float).where(returned.notna(), 0.0).fillna(0.0)
    diff = rows["log_loss"].astype(float) - rows["market_log_loss"].astype(float)
    frame = {
        "rows": 1.0, "picks": picked, "wins": _is(rows["result"], "win"), "losses": _is(rows["result"], "loss"), "pushes": _is(rows["result"], "push"),
        "voided": voided & rows["recommendation"].isin([OVER, UNDER]).to_numpy(), "played": played,
        "errors": error.notna(), "error_sum": error.fillna(0.0), "abs_error_sum": error.abs().fillna(0.0),
        "lined": line_error.notna(), "line_error_sum": line_error.fillna(0.0), "probable": probability.notna(), "probability_sum": probability.fillna(0.0),
        "returned": returned.notna(), "return_sum": returned.fillna(0.0), "return_squares": (returned**2).fillna(0.0), "staked": staked,
        "units": rows["units"].astype(float).fillna(0.0), "scored": diff.notna(), "log_loss_sum": rows["log_loss"].astype(float).where(diff.notna(), 0.0).fillna(0.0),
        "market_log_loss_sum": rows["market_log_loss"].astype(float).where(diff.notna(), 0.0).fillna(0.0), "log_loss_diff_squares": (diff**2).fillna(0.0),
        "brier_sum": rows["brier"].astype(float).where(diff.notna(), 0.0).fillna(0.0), "market_brier_sum": rows["market_brier"].astype(float).where(diff.notna(), 0.0).fillna(0.0),
    }
    for against, name in (("market", "clv_market"), ("book", "clv_book")):
        prob, line = rows[f"clv_prob_{against}"].astype(float), rows[f"clv_line_{against}"].astype(float)
        frame.update({name: prob.notna(), f"clv_prob_{against}_sum": prob.fillna(0.0), f"clv_line_{against}_sum": line.where(prob.notna(), 0.0).fillna(0.0)})
    return pd.DataFrame(frame, index=rows.index).astype(float)


def record(sums: pd.DataFrame) -> pd.DataFrame:
    """The record of each row of summed `totals`, the one place a hit rate, a return and a log loss
    are computed: picks, wins, losses, pushes and voided picks; hit rate = wins / (wins + losses) with
    its 95% interval; ROI = the mean return of a unit staked on each settled pick at its price (a push
    returns 0) with its 95% interval, and the units won at the platform's stakes; mean closing-line
    value against the consensus and the same book (probability and line points, over the picks that
    have one); MAE and bias over players who played, the line's MAE on those with a line; log loss
    and Brier score of P(over) beside the market's on the same rows, with the paired difference's
    95% interval (below zero: better than the market); the picks' mean probability."""
    decided = sums["wins"] + sums["losses"]
    low, high = wilson_interval(sums["wins"].to_numpy(), decided.to_numpy())
    roi_low, roi_high = mean_interval(sums["return_sum"].to_numpy(), sums["return_squares"].to_numpy(), sums["returned"].to_numpy())
    diff_sum = (sums["log_loss_sum"] - sums["market_log_loss_sum"]).to_numpy()
    diff_low, diff_high = mean_interval(diff_sum, sums["log_loss_diff_squares"].to_numpy(), sums["scored"].to_numpy())
    mean = lambda total, count: (sums[total] / sums[count]).where(sums[count] > 0)  # noqa: E731
    return pd.DataFrame({
        **{name: sums[name].round().astype(int) for name in ("picks", "wins", "losses", "pushes", "voided")},
        "hit_rate": (sums["wins"] / decided).where(decided > 0), "hit_rate_low": low, "hit_rate_high": high,
        "roi": mean("return_sum", "returned"), "roi_low": roi_low, "roi_high": roi_high, "staked_units": sums["staked"], "units": sums["units"],
        "clv_picks": sums["clv_market"].round().astype(int), "clv_prob": mean("clv_prob_market_sum", "clv_market"), "clv_line": mean("clv_line_market_sum", "clv_market"),
        "clv_book_picks": sums["clv_book"].round().astype(int), "clv_prob_book": mean("clv_prob_book_sum", "clv_book"), "clv_line_book": mean("clv_line_book_sum", "clv_book"),
        "played": sums["played"].round().astype(int), "mae": mean("abs_error_sum", "errors"), "bias": mean("error_sum", "errors"), "line_mae": mean("line_error_sum", "lined"),
        "scored": sums["scored"].round().astype(int), "log_loss": mean("log_loss_sum", "scored"), "market_log_loss": mean("market_log_loss_sum", "scored"),
        "log_loss_diff": pd.Series(diff_sum, index=sums.index).div(sums["scored"]).where(sums["scored"] > 0), "log_loss_diff_low": diff_low, "log_loss_diff_high": diff_high,
        "brier": mean("brier_sum", "scored"), "market_brier": mean("market_brier_sum", "scored"), "mean_probability": mean("probability_sum", "probable"),
    }, index=sums.index)


def summarize(rows: pd.DataFrame) -> dict[str, float | int]:
    """The `record` of a set of graded rows, as plain numbers."""
    summed = totals(rows).sum().to_frame().T if len(rows) else pd.DataFrame([dict.fromkeys(TOTALS, 0.0)])
    return record(summed).to_dict(orient="records")[0]


def compared_rows(grades: pd.DataFrame) -> pd.DataFrame:
    """Graded rows of the player-games with a real line where the player played and every system
    predicted: the rows on which the systems and the line are compared."""
    played = grades[~grades["is_voided"].astype(bool) & grades["line"].notna() & grades["predicted_points"].notna()]
    every = played.groupby(["game_id", "player_lookup"])["system_id"].transform("nunique") == played["system_id"].nunique()
    return played[every]


def edge_bucket(edge: pd.Series) -> np.ndarray:
    """The position in `EDGE_BUCKETS` of each edge's size (-1 for a missing edge)."""
    size = edge.abs().to_numpy(dtype=float)
    bucket = np.full(len(size), -1)
    for position, (low, high, _) in enumerate(EDGE_BUCKETS):
        bucket[(size >= low) & (size < high)] = position
    return bucket


def edge_buckets(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(label, rows): all rows, then each edge bucket."""
    bucket = edge_bucket(rows["edge"])
    return [("all", rows), *((label, rows[bucket == position]) for position, (_, _, label) in enumerate(EDGE_BUCKETS))]


def _deciles(sums: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """Summed totals of each probability decile of the picks whose `totals` are `sums` (rows in the
    graded rows' order; ties in probability go by that order)."""
    known = ~np.isnan(probability)
    sums, probability = sums[known], probability[known]
    by_rank = np.argsort(probability, kind="stable")
    decile = pd.qcut(np.arange(1, len(by_rank) + 1), 10, labels=False)
    out = np.zeros((10, sums.shape[1]))
    np.add.at(out, decile, sums[by_rank])
    return out


def performance(grades: pd.DataFrame, as_of: pd.Timestamp | list[pd.Timestamp]) -> pd.DataFrame:
    """The record of every system as of `as_of` (graded rows dated on or before it), or as of each
    date of a list, computed once for all of them: per period (last 7 and 30 days, season to date),
    system and segment (overall, each edge bucket, each probability decile of the picks when there
    are 10 or more decided ones), a `record`."""
    dates = list(pd.to_datetime(np.atleast_1d(as_of)))
    empty = pd.DataFrame(columns=list(PERFORMANCE_COLUMNS)).astype(PERFORMANCE_COLUMNS)
    if not len(grades) or not dates:
        return empty
    grades = grades.reset_index(drop=True)
    dated = grades["game_date"].to_numpy(dtype="datetime64[ns]")
    days = np.unique(dated)
    day = np.searchsorted(days, dated)
    seasons = season_start_year(pd.Series(days)).to_numpy()
    sums = totals(grades)[list(TOTALS)].to_numpy()
    segment = edge_bucket(grades["edge"])
    as_of_days = np.array(dates, dtype="datetime64[ns]")
    upto = np.searchsorted(days, as_of_days, side="right")  # window ends: dates on or before each as-of date
    starts = {period: np.searchsorted(days, as_of_days - np.timedelta64(span, "D"), side="right") for period, span in PERIODS.items() if span}
    starts["season"] = np.searchsorted(seasons, [season_of(d) for d in dates], side="left")
    decided = _is(grades["result"], "win") | _is(grades["result"], "loss")
    probability = grades["probability"].astype(float).to_numpy()
    labels = ["all", *(label for _, _, label in EDGE_BUCKETS)]
    rows_total, keys, blocks = TOTALS.index("rows"), [], []
    for system in sorted(grades["system_id"].dropna().unique()):
        mine = (grades["system_id"] == system).to_numpy()
        daily = np.zeros((len(labels), len(days) + 1, len(TOTALS)))  # segment x (day + 1) x totals, cumulated over days
        np.add.at(daily[0], day[mine] + 1, sums[mine])
        bucketed = mine & (segment >= 0)
        np.add.at(daily, (segment[bucketed] + 1, day[bucketed] + 1), sums[bucketed])
        daily = daily.cumsum(axis=1)
        picks = np.flatnonzero(mine & decided)  # in the graded rows' order
        for p, period in enumerate(PERIODS):
            start = starts[period]
            window = daily[:, upto] - daily[:, start]  # segment x as-of date x totals
            for i, when in enumerate(dates):
                if window[0, i, rows_total] == 0:
                    continue
                keys += [(i, p, when, system, period, "overall" if k == 0 else "edge_bucket", label) for k, label in enumerate(labels)]
                blocks.append(window[:, i])
                inside = picks[(day[picks] >= start[i]) & (day[picks] < upto[i])]
                if len(inside) >= 10:
                    keys += [(i, p, when, system, period, "probability_decile", f"{d + 1:02d}") for d in range(10)]
                    blocks.append(_deciles(sums[inside], probability[inside]))
    if not blocks:
        return empty
    frame = pd.DataFrame(keys, columns=["date_order", "period_order", "game_date", "system_id", "period", "segment_type", "segment"])
    frame = pd.concat([frame, record(pd.DataFrame(np.vstack(blocks), columns=list(TOTALS)))], axis=1)
    frame = frame.sort_values(["date_order", "period_order", "system_id"], kind="stable", ignore_index=True)  # as the dates were asked for
    return frame[list(PERFORMANCE_COLUMNS)].astype(PERFORMANCE_COLUMNS)
