"""The JSON documents the front end reads, built from the warehouse tables (plain functions).

Each document has a JSON Schema in `schemas/`; an export is validated before it is written.
"""

from __future__ import annotations

import math
from datetime import datetime
from itertools import groupby
from operator import itemgetter

import pandas as pd

from nba_assets.grading.performance import PERFORMANCE_COLUMNS, summarize
from nba_assets.picks import COLD_START, NO_EDGE, NOT_USED, OVER, UNDER

HEADLINE = ("blend", "catboost", "market", "moving_average")  # the systems, in the order they headline the best bets
TIERS = ((0.10, "A"), (0.06, "B"))  # EV floors; every other pick is tier C
LAST_TIER = "C"
BEST_BETS = 15
OFFER = ("side", "book", "offer_line", "price", "probability", "fair_probability", "ev", "stake_units")
SYSTEM_ENTRY = ("model_version", "predicted_points", "edge", "p_over", "market_p_over", "recommendation", "reason", *OFFER)


def json_value(value):
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python, timestamps -> ISO strings, -0.0 -> 0.0."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else value + 0.0
    return value


def american(price) -> int | None:
    """An American price as a whole number (a frame with a missing price carries the others as floats)."""
    return None if price is None or pd.isna(price) else int(price)


def date_text(day: pd.Timestamp) -> str:
    return f"{pd.Timestamp(day):%Y-%m-%d}"


def stamp(generated_at: datetime) -> str:
    return generated_at.isoformat(timespec="seconds")


def system_entry(row: dict) -> dict:
    """One system's view of a player: its prediction, its recommendation and the best offer it found."""
    return {**{key: json_value(row[key]) for key in SYSTEM_ENTRY}, "price": american(row["price"])}


def predictions_document(day: pd.Timestamp, predictions: pd.DataFrame, context: pd.DataFrame, generated_at: datetime) -> dict:
    """`predictions/{date}.json`: every game of the date, every player, every system with its best offer."""
    rows = predictions[predictions["game_date"] == day].sort_values(["game_id", "player_lookup", "system_id"], kind="stable")
    players = context[context["game_date"] == day]
    names = dict(zip(zip(players["game_id"], players["player_lookup"]), players["player_name"]))
    tips = dict(zip(players["game_id"], players["tip_time_utc"]))
    columns = ["game_id", "player_lookup", "system_id", "team_abbr", "opponent_abbr", "line", "injury_status", *SYSTEM_ENTRY]
    games = []
    for game_id, game_rows in groupby(rows[list(dict.fromkeys(columns))].to_dict("records"), key=itemgetter("game_id")):
        entries = []
        for player, player_rows in groupby(game_rows, key=itemgetter("player_lookup")):
            player_rows = list(player_rows)
            first = player_rows[0]
            entries.append({
                "player_lookup": player, "player_name": json_value(names.get((game_id, player))),
                "team": first["team_abbr"], "opponent": first["opponent_abbr"],
                "line": json_value(first["line"]), "injury_status": json_value(first["injury_status"]),
                "systems": {r["system_id"]: system_entry(r) for r in player_rows},
            })
        games.append({"game_id": game_id, "tip_time_utc": json_value(tips.get(game_id)), "players": entries})
    return {"game_date": date_text(day), "generated_at_utc": stamp(generated_at), "games": games}


def primary_system(rows: pd.DataFrame) -> str:
    """The system whose picks headline: the first of `HEADLINE` that picks that day (the blend when none does)."""
    picking = set(rows.loc[rows["recommendation"].isin([OVER, UNDER]), "system_id"])
    return next((system for system in HEADLINE if system in picking), HEADLINE[0])


CANNOT_PICK = (NO_EDGE, COLD_START, NOT_USED)  # reasons a system may not recommend at all


def pick_status(rows: pd.DataFrame) -> tuple[str, str]:
    """(status, message) of a date's picks: `picks`; `no_edge` when no system may pick because none
    that could has an out-of-sample record that pays at the offered prices (the honest answer is no
    picks: the message gives each system's reason); `no_lines`; or `no_picks` (lines, but no best
    offer reached its system's EV threshold)."""
    picks = rows[rows["recommendation"].isin([OVER, UNDER])]
    if len(picks):
        return "picks", f"{len(picks)} picks"
    lined = rows[rows["line"].notna()]
    if lined.empty:
        return "no_lines", "no player of the date has a line: nothing to pick"
    reasons = lined["reason"].fillna("")
    if reasons.str.startswith(CANNOT_PICK).all() and reasons.str.startswith(NO_EDGE).any():
        per_system = lined.assign(reason=reasons).drop_duplicates("system_id").sort_values("system_id")
        return "no_edge", "no system's out-of-sample picks pay at the books' offered prices, so none publishes picks: " + " ".join(f"{r.system_id}: {r.reason}." for r in per_system.itertuples())
    return "no_picks", "no system's best offer of any player reached its EV threshold at the offered prices"


def tier(ev: float) -> str:
    """A pick's tier by its EV per unit staked."""
    return next((name for floor, name in TIERS if ev >= floor), LAST_TIER)


def tier_rules() -> dict[str, str]:
    """The tiers as the best bets document states them."""
    return {**{name: f"EV >= {floor:.0%}" for floor, name in TIERS}, LAST_TIER: f"EV below {TIERS[-1][0]:.0%}"}


def bet_entry(rank: int, row: pd.Series, player_name) -> dict:
    """A best bet: the pick, the offer to take (book, line, price, when quoted) and what it is worth."""
    return {
        "rank": rank, "tier": tier(row["ev"]), "game_id": row["game_id"], "player_lookup": row["player_lookup"], "player_name": json_value(player_name),
        "team": row["team_abbr"], "opponent": row["opponent_abbr"], "recommendation": row["recommendation"], "book": row["book"],
        "line": json_value(row["offer_line"]), "consensus_line": json_value(row["line"]), "price": american(row["price"]), "quote_at_utc": json_value(row["quote_at_utc"]),
        "fair_probability": json_value(row["fair_probability"]), "probability": json_value(row["probability"]), "ev": json_value(row["ev"]),
        "stake_units": json_value(row["stake_units"]), "predicted_points": json_value(row["predicted_points"]), "edge": json_value(row["edge"]),
    }


def best_bets_document(day: pd.Timestamp, predictions: pd.DataFrame, context: pd.DataFrame, generated_at: datetime) -> dict:
    """`best-bets/{date}.json`: the headline system's picks ranked by EV, then probability, in tiers by EV."""
    rows = predictions[predictions["game_date"] == day]
    system = primary_system(rows)
    picks = rows[(rows["system_id"] == system) & rows["recommendation"].isin([OVER, UNDER])]
    picks = picks.sort_values(["ev", "probability", "game_id", "player_lookup"], ascending=[False, False, True, True], kind="stable").head(BEST_BETS)
    names = context.set_index(["game_id", "player_lookup"])["player_name"] if len(context) else pd.Series(dtype="string")
    bets = [bet_entry(rank, r, names.get((r["game_id"], r["player_lookup"]))) for rank, (_, r) in enumerate(picks.iterrows(), start=1)]
    status, message = pick_status(rows)
    return {"game_date": date_text(day), "generated_at_utc": stamp(generated_at), "system": system, "status": status, "message": message,
            "tiers": tier_rules(), "bets": bets}


RESULT_RECORD = ("picks", "wins", "losses", "pushes", "voided", "hit_rate", "mae", "staked_units", "units", "roi", "roi_low", "roi_high",
                 "clv_picks", "clv_prob", "clv_line", "log_loss", "market_log_loss")
PERFORMANCE_RECORD = tuple(column for column in PERFORMANCE_COLUMNS if column not in ("game_date", "system_id", "period", "segment_type", "segment"))
GRADED_PICK = ("stake_units", "actual_points", "result", "pick_return", "units", "clv_prob_book", "clv_line_book", "clv_prob_market", "clv_line_market")


def _record(rows: pd.DataFrame) -> dict:
    record = summarize(rows)
    return {key: json_value(record[key]) for key in RESULT_RECORD}


def graded_pick(row: pd.Series) -> dict:
    """A graded pick: the offer it was made at (book, line, price), the outcome, what it returned and its closing-line value."""
    return {
        "system": row["system_id"], "game_id": row["game_id"], "player_lookup": row["player_lookup"], "recommendation": row["recommendation"],
        "book": json_value(row["book"]), "line": json_value(row["offer_line"]), "consensus_line": json_value(row["line"]), "price": american(row["price"]),
        **{key: json_value(row[key]) for key in GRADED_PICK}, "voided": bool(row["is_voided"]), "void_reason": json_value(row["void_reason"]),
    }


def results_document(day: pd.Timestamp, grades: pd.DataFrame, generated_at: datetime) -> dict:
    """`results/{date}.json`: each system's record of the date and every graded pick."""
    rows = grades[grades["game_date"] == day]
    picks = rows[rows["recommendation"].isin([OVER, UNDER])].sort_values(["system_id", "game_id", "player_lookup"])
    return {
        "game_date": date_text(day), "generated_at_utc": stamp(generated_at),
        "systems": {system: _record(rows[rows["system_id"] == system]) for system in sorted(rows["system_id"].unique())},
        "picks": [graded_pick(r) for _, r in picks.iterrows()],
    }


def performance_document(record: pd.DataFrame, generated_at: datetime) -> dict:
    """`systems/performance.json`: each system's record as of the latest date, per period and segment."""
    latest = record[record["game_date"] == record["game_date"].max()] if len(record) else record
    systems: dict = {}
    for _, r in latest.iterrows():
        entry = {k: json_value(r[k]) for k in PERFORMANCE_RECORD}
        systems.setdefault(r["system_id"], {}).setdefault(r["period"], {}).setdefault(r["segment_type"], {})[r["segment"]] = entry
    return {"as_of": date_text(latest["game_date"].max()) if len(latest) else None, "generated_at_utc": stamp(generated_at), "systems": systems}


def live_document(day: str, live: pd.DataFrame, generated_at: datetime) -> dict:
    """`live/{date}.json`: the games in progress, their score and each player's line so far."""
    games = []
    for game_id, rows in live.groupby("game_id", sort=True):
        first = rows.iloc[0]
        games.append({
            "game_id": game_id, "status": first["status"], "period": json_value(first["period"]), "clock": json_value(first["clock"]),
            "home_score": json_value(first["home_score"]), "away_score": json_value(first["away_score"]),
            "players": [{"player_name": r["player_name"], "team": r["team_abbr"], "minutes": json_value(r["minutes"]), "points": json_value(r["pts"])}
                        for _, r in rows.sort_values("pts", ascending=False).iterrows()],
        })
    return {"game_date": day, "generated_at_utc": stamp(generated_at), "games": games}


def live_grading_document(day: str, live: pd.DataFrame, bets: dict | None, generated_at: datetime) -> dict:
    """`live-grading/{date}.json`: today's published best bets against the points scored so far."""
    from nba_assets.keys import player_lookup

    scored = {(r["game_id"], player_lookup(r["player_name"])): r for _, r in live.iterrows()}
    picks = []
    for bet in (bets or {}).get("bets", []):
        row = scored.get((bet["game_id"], bet["player_lookup"]))
        points = json_value(row["pts"]) if row is not None else None
        state = "not started"
        if points is not None:
            over, line = bet["recommendation"] == OVER, bet["line"]
            if points > line:
                state = "won" if over else "lost"
            else:
                state = "in play"
        picks.append({**{k: bet[k] for k in ("game_id", "player_lookup", "recommendation", "line")}, "points_so_far": points,
                      "needed": (bet["line"] - points) if points is not None and bet["recommendation"] == OVER else None, "state": state})
    return {"game_date": day, "generated_at_utc": stamp(generated_at), "picks": picks}
