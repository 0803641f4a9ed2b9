"""Whether a system's picks pay at the prices the books offered, out of sample: its gate to pick at all.

On the validation window (rows the model never trained on) each system prices every book's offers of
each player (`system_probabilities`), takes the best offer where its EV clears `EV_THRESHOLD`, and the
pick is settled at that offer's line and price (a push returns the stake). The model's systems are
cross-fitted: the window is split in two halves by date and each half is priced with the curve (and
the blend's weight) fitted on the other, never on its own rows; the market, which fits nothing,
prices the whole window. A system may publish picks only when that record holds at least
`MIN_EVIDENCE_PICKS` picks whose mean return per unit staked is positive with its 95% interval above zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.market.curve import DISPERSION, over_probabilities
from nba_assets.market.pricing import best_offers
from nba_assets.model.probability import BLEND, MARKET, PointsCurve, fit_blend_weight, system_probabilities
from nba_assets.picks import NO_EDGE, mean_interval, pick_results, pick_returns

EV_THRESHOLD = 0.03
# Picks a record needs before its return can open the gate: a handful of slates' worth of picks returns +20% by chance
# (on the real 2025 lines the model's validation picks did, over 100-200 picks, and then hit half of what they picked).
MIN_EVIDENCE_PICKS = 300
PLAYER = ["game_id", "player_lookup"]


def priced_picks(rows: pd.DataFrame, offers: pd.DataFrame, system: str, curve: PointsCurve, weight: float, threshold: float = EV_THRESHOLD) -> pd.DataFrame:
    """The picks `system` makes on `rows` (validation rows: `mean`, `market_mean`, `actual_points`) from
    `offers` (decision boards of their games), settled: one row per pick with its result and return."""
    merged = offers.merge(rows[[*PLAYER, "mean", "market_mean", "actual_points"]], on=PLAYER)
    if merged.empty:
        return pd.DataFrame(columns=[*PLAYER, "side", "line", "decimal", "ev", "result", "return"])
    p_over, p_push = system_probabilities(system, curve, weight, merged["mean"], merged["market_mean"], merged["line"])
    fair_over, _ = over_probabilities(merged["market_mean"], merged["line"], DISPERSION)
    best = best_offers(merged, p_over, p_push, fair_over)
    picks = best[best["ev"] >= threshold].merge(rows[[*PLAYER, "actual_points"]], on=PLAYER)
    picks["result"] = pick_results(picks["side"], picks["line"], picks["actual_points"], pd.Series(True, index=picks.index))
    picks["return"] = pick_returns(picks["result"], picks["decimal"])
    return picks


def offered_record(picks: pd.DataFrame) -> dict:
    """n, wins, losses, pushes, mean return per unit staked (ROI) with its 95% interval, and whether it beats the market."""
    returns = picks["return"].dropna().to_numpy(dtype=float) if len(picks) else np.zeros(0)
    n = len(returns)
    roi = float(returns.mean()) if n else None
    low, high = mean_interval(returns.sum(), (returns**2).sum(), n)
    beats = n >= MIN_EVIDENCE_PICKS and roi > 0 and low > 0
    result = picks["result"] if len(picks) else pd.Series(dtype="object")
    return {"picks": n, "wins": int((result == "win").sum()), "losses": int((result == "loss").sum()), "pushes": int((result == "push").sum()),
            "roi": roi, "roi_interval": [None if np.isnan(low) else low, None if np.isnan(high) else high], "beats_the_market": bool(beats)}


def halves(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Two masks splitting the rows by date at the middle date of the window."""
    days = np.sort(dates.unique())
    if len(days) < 2:
        return dates == dates, dates != dates
    middle = days[len(days) // 2]
    return dates < middle, dates >= middle


def system_evidence(system: str, rows: pd.DataFrame, offers: pd.DataFrame, line: pd.Series) -> dict:
    """The out-of-sample record at offered prices of `system` on the validation `rows` (with `mean`:
    the system's prediction, or the model's for the blend; `market_mean`; `actual_points`); `line` is each row's real line."""
    if system == MARKET:
        return offered_record(priced_picks(rows, offers, system, PointsCurve(), 0.0))
    picks = []
    for fit_on, price_on in (halves(rows["game_date"]), halves(rows["game_date"])[::-1]):
        curve = PointsCurve.fit(rows.loc[fit_on, "mean"], rows.loc[fit_on, "actual_points"], line[fit_on])
        weight = blend_weight(curve, rows[fit_on], line[fit_on]) if system == BLEND else 0.0
        picks.append(priced_picks(rows[price_on], offers, system, curve, weight))
    picks = [frame for frame in picks if len(frame)]
    return offered_record(pd.concat(picks, ignore_index=True) if picks else pd.DataFrame(columns=["result", "return"]))


def blend_weight(curve: PointsCurve, rows: pd.DataFrame, line: pd.Series) -> float:
    """The blend's weight on `rows`: the model's curve against the market's at the real line, on log loss."""
    known = line.notna() & rows["market_mean"].notna() & (rows["actual_points"] != line)
    if not known.any():
        return 0.0
    p_model, _ = curve.over(rows.loc[known, "mean"], line[known])
    p_market, _ = over_probabilities(rows.loc[known, "market_mean"], line[known], DISPERSION)
    return fit_blend_weight(p_model, p_market, (rows.loc[known, "actual_points"] > line[known]).astype(float))


def no_edge_reason(system: str, evidence: dict | None) -> str | None:
    """Why `system` may not pick (its out-of-sample picks do not pay at offered prices), or None if it may."""
    if evidence is None or "roi" not in evidence:
        return f"{NO_EDGE}: {system} has no out-of-sample record at offered prices (a model trained before such records were kept): no picks"
    if evidence["beats_the_market"]:
        return None
    if not evidence["picks"]:
        return f"{NO_EDGE}: {system} made no out-of-sample picks at offered prices with EV above {EV_THRESHOLD:.0%}: no picks"
    low, high = evidence["roi_interval"]
    interval = f" (95% interval {low:+.1%} to {high:+.1%})" if low is not None else ""
    return (f"{NO_EDGE}: {system}'s out-of-sample picks returned {evidence['roi']:+.1%} a unit staked at the offered prices over "
            f"{evidence['picks']} picks{interval}: not a return clear of zero over {MIN_EVIDENCE_PICKS}+ picks, so no picks")
