"""From each system's probabilities to a recommendation: the best offer among the books, priced (plain functions of DataFrames).

Four systems predict every player with a game: `market` (the books' consensus curve: the baseline
every other system is judged against), `catboost` (the week's model), `moving_average` (0.5 last 5 +
0.3 last 10 + 0.2 season) and `blend` (the market moved towards the model by the weight fitted out of
sample). Each gives P(points > L) at every line a book offers; every side of every offer of the
decision board is priced (EV = p x decimal price - 1, pushes returning the stake) and the player's
best offer across books and lines is named: side, book, line, price, the market's fair probability
of it, the system's probability of it and the EV. It is recommended (OVER / UNDER) only where its EV
reaches `ev_threshold` and the system may pick: its out-of-sample record at offered prices pays
(`model.evidence`); never for a player ruled out, nor by a system without a prediction for him, nor
by a system that disagrees with the whole market on a slate (its mean edge over 20+ lines beyond
+/-1.5 points). Otherwise PASS with the reason; NO_LINE without a line. Picks are staked by
fractional Kelly (`market.stakes`). `edge` = predicted points - line, and `p_over` / `p_under` and
`market_p_over`, the system's and the market's chances at the line itself, describe every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nba_assets.features.build import real_line
from nba_assets.market.consensus import player_markets
from nba_assets.market.curve import DISPERSION, over_probabilities
from nba_assets.market.pricing import OFFER_FIELDS, best_sides, chosen, offer_codes
from nba_assets.market.stakes import Staking, stakes
from nba_assets.model import baseline
from nba_assets.model.artifact import SYSTEM_ID as CATBOOST, PointsModel
from nba_assets.model.evidence import EV_THRESHOLD, no_edge_reason
from nba_assets.model.probability import BLEND, MARKET, blend
from nba_assets.picks import NO_LINE, OVER, PASS, UNDER

SYSTEMS = (MARKET, CATBOOST, baseline.SYSTEM_ID, BLEND)
MEAN_EDGE_MAX = 1.5
MIN_SLATE_LINES = 20
PREDICTION_RANGE = (0.0, 70.0)
RULED_OUT = frozenset({"out"})
MARKET_VERSION = f"consensus-nb-dispersion-{DISPERSION:g}"
PLAYER = ["game_id", "player_lookup"]

PREDICTION_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "player_lookup": "string", "team_abbr": "string", "opponent_abbr": "string",
    "system_id": "string", "model_version": "string", "predicted_points": "float64", "clamped": "boolean", "line": "float64",
    "edge": "float64", "p_over": "float64", "p_under": "float64", "market_p_over": "float64", "recommendation": "string", "reason": "string",
    "side": "string", "book": "string", "offer_line": "float64", "price": "Int64", "probability": "float64", "fair_probability": "float64",
    "ev": "float64", "stake_units": "float64", "quote_at_utc": "datetime64[us]", "injury_status": "string", "ev_threshold": "float64",
    "predicted_at_utc": "datetime64[us]",
}


@dataclass(frozen=True)
class PickSettings:
    ev_threshold: float = EV_THRESHOLD
    staking: Staking = field(default_factory=Staking)


def availability(model: PointsModel) -> dict[str, str | None]:
    """Why each system may not pick at all on the dates `model` serves (None where it may)."""
    evidence = model.metadata.get("pick_evidence", {})
    unavailable = {system: no_edge_reason(system, evidence.get(system)) for system in SYSTEMS}
    if model.model is None:
        unavailable[CATBOOST] = unavailable[BLEND] = model.metadata["reason"]
    elif not model.used:
        unavailable[CATBOOST] = model.metadata["reason"]
    return unavailable


def system_means(features: pd.DataFrame, model: PointsModel, market_mean: pd.Series) -> dict[str, pd.Series]:
    """Each system's predicted points per feature row (NaN where it has none)."""
    catboost = pd.Series(model.predict(features), index=features.index) if model.model is not None else pd.Series(np.nan, index=features.index)
    weight = model.blend_weight if model.blend_weight is not None else np.nan
    return {MARKET: market_mean, CATBOOST: catboost, baseline.SYSTEM_ID: baseline.moving_average(features),
            BLEND: market_mean + weight * (catboost - market_mean)}


def versions(model: PointsModel) -> dict[str, str]:
    weight = model.blend_weight
    return {MARKET: MARKET_VERSION, CATBOOST: model.version, baseline.SYSTEM_ID: baseline.VERSION,
            BLEND: f"blend-{weight:.2f}-{model.version}" if weight is not None else "blend-none"}


def recommend(best: pd.DataFrame, line: pd.Series, threshold: float, blocked: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(recommendation, reason) per row from its best offer (`side`, `ev`); `blocked` holds a reason not to recommend, or None."""
    ev = best["ev"].to_numpy(dtype=float)
    priced, picks = np.isfinite(ev), np.isfinite(ev) & (ev >= threshold)
    recommendation = np.where(picks, best["side"].to_numpy(dtype=object), PASS)
    reason = np.full(len(ev), None, dtype=object)
    reason[priced & ~picks] = [f"best offer's EV {value:+.1%} is below the threshold of {threshold:+.0%}" for value in ev[priced & ~picks]]
    reason[~priced] = "no offer to price"
    has_block = blocked.notna().to_numpy()
    recommendation[has_block], reason[has_block] = PASS, blocked.to_numpy(dtype=object)[has_block]
    no_line = line.isna().to_numpy()
    recommendation[no_line], reason[no_line] = NO_LINE, "no line"
    return pd.Series(recommendation, index=best.index, dtype="object"), pd.Series(reason, index=best.index, dtype="object")


def system_rows(features: pd.DataFrame, system: str, predicted: pd.Series, best: pd.DataFrame, p_at_line: tuple[np.ndarray, np.ndarray],
                unavailable: str | None, ruled_out: np.ndarray, injury: pd.Series, threshold: float) -> pd.DataFrame:
    """The rows of one system for a slate (`best`: its best offer per row, aligned with `features`)."""
    low, high = PREDICTION_RANGE
    clamped = (predicted < low) | (predicted > high)
    predicted = predicted.clip(low, high)
    line = real_line(features)
    blocked = np.full(len(features), unavailable, dtype=object)
    missing = predicted.isna().to_numpy() & pd.isna(blocked)
    blocked[missing] = "no prediction: no history to predict from" if system != MARKET else "no prediction: no book priced him"
    blocked[ruled_out & pd.isna(blocked)] = "ruled out"
    recommendation, reason = recommend(best, line, threshold, pd.Series(blocked, index=features.index, dtype="object"))
    p_over, market_p_over = p_at_line
    known = (line.notna() & predicted.notna()).to_numpy()
    return pd.DataFrame(
        {
            "game_date": features["game_date"], "game_id": features["game_id"], "player_lookup": features["player_lookup"],
            "team_abbr": features["team_abbr"], "opponent_abbr": features["opponent_abbr"], "system_id": system,
            "predicted_points": predicted, "clamped": clamped, "line": line, "edge": predicted - line,
            "p_over": np.where(known, p_over, np.nan), "p_under": np.where(known, 1 - p_over, np.nan),
            "market_p_over": np.where(line.notna(), market_p_over, np.nan), "recommendation": recommendation, "reason": reason,
            "side": best["side"], "book": best["bookmaker"], "offer_line": best["line"], "price": best["price"], "probability": best["probability"],
            "fair_probability": best["fair_probability"], "ev": best["ev"], "quote_at_utc": best["board_at_utc"], "decimal": best["decimal"],
            "injury_status": injury, "ev_threshold": threshold,
        }
    )


def slate_bias(predictions: pd.DataFrame) -> pd.DataFrame:
    """Per date and system: lines predicted, mean edge, and whether the system is biased against
    the market that day (`MIN_SLATE_LINES` or more lines, mean edge beyond +/-`MEAN_EDGE_MAX`)."""
    edges = predictions.dropna(subset=["edge"])
    bias = edges.groupby(["game_date", "system_id"])["edge"].agg(lines="size", mean_edge="mean").reset_index()
    bias["biased"] = (bias["lines"] >= MIN_SLATE_LINES) & (bias["mean_edge"].abs() > MEAN_EDGE_MAX)
    return bias


def withhold_biased(predictions: pd.DataFrame) -> pd.DataFrame:
    """The picks of a system biased against the market on a date become PASS, with the reason."""
    biased = slate_bias(predictions)
    biased = biased[biased["biased"]]
    out = predictions.copy()
    for row in biased.itertuples():
        picks = (out["game_date"] == row.game_date) & (out["system_id"] == row.system_id) & out["recommendation"].isin([OVER, UNDER])
        out.loc[picks, "recommendation"] = PASS
        out.loc[picks, "reason"] = (f"withheld: {row.system_id} disagrees with the whole market today (mean edge {row.mean_edge:+.2f} "
                                    f"points over {row.lines} lines, beyond +/-{MEAN_EDGE_MAX:g})")
    return out


def with_stakes(predictions: pd.DataFrame, staking: Staking) -> pd.Series:
    """Each row's stake in units: picks sized by fractional Kelly per system, capped per pick, game and day; 0 otherwise."""
    stake = pd.Series(0.0, index=predictions.index)
    picks = predictions[predictions["recommendation"].isin([OVER, UNDER])]
    for _, rows in picks.groupby("system_id"):
        stake[rows.index] = stakes(rows, staking)
    return stake


def best_per_row(priced: pd.DataFrame, codes: tuple, n: int, p_over: np.ndarray, p_push: np.ndarray, fair_over: np.ndarray) -> pd.DataFrame:
    """Each feature row's best offer (`OFFER_FIELDS`, empty where he has none) among `priced` (offers with `_row`)."""
    group, book, fields = codes
    chosen_at, over = best_sides(group, book, fields["decimal_over"], fields["decimal_under"], p_over, p_push)
    best = chosen(chosen_at, over, fields, p_over, p_push, fair_over, ["_row"])
    spread = {}
    for name in OFFER_FIELDS:
        values = best[name]
        spread[name] = np.full(n, None, dtype=object) if values.dtype == object else np.full(n, np.nan if values.dtype.kind == "f" else np.datetime64("NaT"), dtype=values.dtype)
        spread[name][best["_row"]] = values
    return pd.DataFrame(spread)


def predict_slate(features: pd.DataFrame, injury_status: pd.Series, model: PointsModel, offers: pd.DataFrame, predicted_at: pd.Timestamp,
                  settings: PickSettings = PickSettings()) -> pd.DataFrame:
    """Rows for every system for every player of `features` (a feature-store slate), priced on
    `offers` (the decision board of its games, `prop_offers`)."""
    features = features.reset_index(drop=True)
    n = len(features)
    injury = injury_status.reset_index(drop=True).astype("string")
    ruled_out = injury.str.lower().isin(RULED_OUT).fillna(False).to_numpy(dtype=bool)
    offers = offers[offers["player_lookup"].notna()] if len(offers) else offers
    market = player_markets(offers) if len(offers) else pd.DataFrame(columns=[*PLAYER, "market_mean"])
    keys = features[PLAYER]
    market_mean = pd.Series(keys.merge(market[[*PLAYER, "market_mean"]], on=PLAYER, how="left")["market_mean"].to_numpy(dtype=float), index=features.index)
    means = system_means(features, model, market_mean)
    unavailable, version = availability(model), versions(model)
    line = real_line(features).to_numpy(dtype=float)
    at_line = np.where(np.isnan(line), 0.5, line)
    priced = offers.merge(keys.assign(_row=features.index), on=PLAYER) if len(offers) else pd.DataFrame(columns=[*PLAYER, "_row", "line"])
    rows, offer_lines = priced["_row"].to_numpy(dtype=int), priced["line"].to_numpy(dtype=float)
    # each system's (P(over), P(push)) at every offer's line and at the consensus line: the market's and each model's curve once
    market_p = {"offers": over_probabilities(market_mean.to_numpy()[rows], offer_lines, DISPERSION), "line": over_probabilities(market_mean.to_numpy(), at_line, DISPERSION)}
    chances = {MARKET: market_p}
    for system in (CATBOOST, baseline.SYSTEM_ID):
        centre = means[system].to_numpy(dtype=float)
        chances[system] = {"offers": model.curve(system).over(centre[rows], offer_lines), "line": model.curve(system).over(centre, at_line)}
    weight = model.blend_weight or 0.0
    chances[BLEND] = {where: (blend(chances[CATBOOST][where][0], market_p[where][0], weight), market_p[where][1]) for where in ("offers", "line")}
    codes = offer_codes(priced, ["_row"]) if len(priced) else None
    frames = []
    for system in SYSTEMS:
        if len(priced):
            p_over, p_push = chances[system]["offers"]
            best = best_per_row(priced, codes, n, p_over, p_push, market_p["offers"][0])
        else:
            best = pd.DataFrame(index=range(n), columns=OFFER_FIELDS)
        frame = system_rows(features, system, means[system], best, (chances[system]["line"][0], market_p["line"][0]), unavailable[system], ruled_out, injury,
                            settings.ev_threshold)
        frames.append(frame.assign(model_version=version[system]))
    out = withhold_biased(pd.concat(frames, ignore_index=True))
    out["stake_units"] = with_stakes(out, settings.staking)
    out = out.assign(predicted_at_utc=predicted_at)
    return out[list(PREDICTION_COLUMNS)].astype(PREDICTION_COLUMNS)
