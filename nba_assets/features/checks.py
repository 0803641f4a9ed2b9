"""Asset checks of the feature store: no leakage, valid ranges, real variation, required features present.

The check logic is plain functions of DataFrames (tests break a partition on purpose and watch
each one fail); the `@asset_check`s below only load the data and report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dagster import AssetCheckResult, AssetCheckSpec, MetadataValue, asset_check

from nba_assets.features.build import KEY_COLUMNS, was_defaulted
from nba_assets.features.contract import FEATURE_CONTRACT, FEATURE_RANGES, REQUIRED_FEATURES, SCHEDULE_CONSTANT_OK
from nba_assets.partitions import game_date_partitions
from nba_assets.quality import table_checks

LEAKAGE_SAMPLE = 40
MIN_SLATE = 20
MIN_VALUES = 10
REQUIRED_DEFAULTED_MAX = 0.05
BACKFILL_AGE_DEFAULTED_MAX = 0.15
# When most teams are past the early season, no feature may be defaulted for more than this share
# of a slate (players never seen against the opponent are common).
DEFAULTED_MAX = {"avg_points_vs_opponent": 0.7}
DEFAULTED_MAX_OTHER = 0.5
# Features that must vary on any slate; the others may legitimately sit at one value early in a
# season (nobody has played in the last 7 days on opening night, one game has no spread).
ALWAYS_VARY = ("points_avg_last_5", "points_avg_last_10", "minutes_avg_last_10", "player_age", "home_away")
# What the market offers decides these: how many players have a line (none on a date the API has no
# lines for) and whether a move was observed (a book publishing a new board between two snapshots).
# Over the players that have one, a line (or move) repeated for all of 10+ players is a placeholder.
MARKET_BOUND = ("vegas_points_line", "vegas_opening_line", "vegas_line_move", "line_vs_form", "line_books_spread")
MARKET_AVAILABILITY = "has_vegas_line"
# A slate on which no observed line moved is a quiet market (pick'em boards often stand all day), and
# one on which the books agree (or one book posts) a united one, not a frozen feature: the movement and
# the books' spread are held to vary only away from zero.
QUIET_VALUE = {"vegas_line_move": 0.0, "line_books_spread": 0.0}
# Features set by the team's situation (its schedule, record, ratings, who is out): on a slate of one
# game they take the two teams' values, which may coincide (a Finals game between teams of the same
# record, both on two days' rest, nobody out), so they are held to varying only over 2+ games.
TEAM_SITUATION = ("games_in_last_7_days", "days_rest", "back_to_back", "rest_advantage", "opponent_def_rating", "opponent_pace",
                  "team_pace", "team_off_rating", "team_win_pct", "teammates_out_minutes")


def _md(frame: pd.DataFrame, rows: int = 20) -> MetadataValue:
    return MetadataValue.md(frame.head(rows).to_markdown(index=False) if len(frame) else "none")


def recompute_windows(row: pd.Series, history: pd.DataFrame) -> dict[str, float]:
    """Independently of the feature code: last-5 and last-10 points and last-10 and last-3 minutes of
    one player from his played games strictly before the row's date."""
    games = history[(history["player_lookup"] == row["player_lookup"]) & (history["game_date"] < row["game_date"]) & (history["minutes"] > 0)]
    games = games.sort_values("game_date")
    if games.empty:
        return {}
    return {
        "points_avg_last_5": float(games["points"].tail(5).astype(float).mean()),
        "points_avg_last_10": float(games["points"].tail(10).astype(float).mean()),
        "minutes_avg_last_10": float(games["minutes"].tail(10).astype(float).mean()),
        "minutes_avg_last_3": float(games["minutes"].tail(3).astype(float).mean()),
    }


def leakage_mismatches(features: pd.DataFrame, history: pd.DataFrame, sample: int = LEAKAGE_SAMPLE, seed: int = 0) -> pd.DataFrame:
    """Sampled rows whose window features differ from a recomputation over games strictly before the date."""
    rows = features.sample(min(sample, len(features)), random_state=seed) if len(features) else features
    found = []
    for _, row in rows.iterrows():
        for name, expected in recompute_windows(row, history).items():
            if not np.isclose(row[name], expected, rtol=0, atol=1e-9):
                found.append({"game_date": row["game_date"], "player_lookup": row["player_lookup"], "feature": name, "stored": row[name], "recomputed": expected})
    return pd.DataFrame(found, columns=["game_date", "player_lookup", "feature", "stored", "recomputed"])


def range_violations(features: pd.DataFrame) -> pd.DataFrame:
    """Per feature: how many values lie outside its valid range (or are not finite)."""
    out = []
    for name, (low, high) in FEATURE_RANGES.items():
        values = features[name].astype(float)
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        if bad.any():
            out.append({"feature": name, "rows": int(bad.sum()), "min": float(values.min()), "max": float(values.max()), "valid": f"{low}..{high}"})
    return pd.DataFrame(out, columns=["feature", "rows", "min", "max", "valid"])


FULL_HISTORY_DAYS = 330


def rest_advantages(teams: pd.DataFrame) -> pd.Series:
    """Each team's rest (capped at 10 days) minus its opponent's, from the schedule."""
    rest = teams.set_index(["game_id", "team_abbr"])["days_rest"].astype(float).clip(upper=10)
    opponent = rest.reindex(pd.MultiIndex.from_frame(teams[["game_id", "opponent_abbr"]])).to_numpy()
    return pd.Series(rest.to_numpy() - opponent)


def variation_problems(features: pd.DataFrame, team_context: pd.DataFrame, history_start: pd.Timestamp | None) -> pd.DataFrame:
    """Per date and feature: a feature constant across a slate (over its non-defaulted values), or
    defaulted for most of a slate that is past the early season. Back-to-back and rest advantage may
    be constant only when the schedule says so (no team on a back-to-back; all teams equally rested);
    the line features only over the players the market gave a line (or an observed move), and
    whether a player has a line at all is the market's to say. Early in a season, or while the
    stored history (which starts at `history_start`) is shorter than a season, only `ALWAYS_VARY`,
    schedule-bound and market-bound features are held to varying and no default share is enforced.
    On a slate of one game, the team-situation features are the two teams' own and may coincide."""
    problems = []
    for day, slate in features.groupby("game_date"):
        if len(slate) < MIN_SLATE:
            continue
        one_game = slate["game_id"].nunique() < 2
        teams = team_context[team_context["game_date"] == day]
        schedule_varies = {
            "back_to_back": bool(teams["back_to_back"].astype(bool).any()),
            "rest_advantage": rest_advantages(teams).nunique() > 1,  # over teams whose rest is known
        }
        full_history = history_start is not None and (day - history_start).days >= FULL_HISTORY_DAYS
        mature = full_history and slate["early_season"].astype(bool).mean() < 0.5
        for name in FEATURE_CONTRACT.names:
            defaulted = was_defaulted(slate, name)
            values = slate.loc[~defaulted, name].astype(float)
            if name == MARKET_AVAILABILITY:
                continue
            if name in SCHEDULE_CONSTANT_OK:
                if not schedule_varies[name]:
                    continue
            elif not mature and name not in ALWAYS_VARY and name not in MARKET_BOUND:
                continue
            constant = len(values) >= MIN_VALUES and (values.nunique() < 2 or values.std() < 1e-9) and not (one_game and name in TEAM_SITUATION)
            if constant and values.iloc[0] != QUIET_VALUE.get(name):
                problems.append({"game_date": day, "feature": name, "problem": f"constant ({values.iloc[0]:g}) across {len(values)} rows"})
            if mature and name not in MARKET_BOUND and defaulted.mean() > DEFAULTED_MAX.get(name, DEFAULTED_MAX_OTHER):
                problems.append({"game_date": day, "feature": name, "problem": f"defaulted for {defaulted.mean():.0%} of the slate"})
    return pd.DataFrame(problems, columns=["game_date", "feature", "problem"])


def required_defaulted(features: pd.DataFrame) -> dict[str, float]:
    """Share of rows in which each required feature had to be defaulted."""
    return {name: float(was_defaulted(features, name).mean()) if len(features) else 0.0 for name in REQUIRED_FEATURES}


def required_problems(features: pd.DataFrame) -> dict[str, float]:
    """Required features defaulted too often: 5% at most, but 15% for `player_age` on rows of a
    backfilled date (box-score fallback), whose birth dates come from later roster scrapes."""
    problems = {}
    for source, rows in features.groupby(features["roster_source"].fillna("unknown")):
        for name, share in required_defaulted(rows).items():
            limit = BACKFILL_AGE_DEFAULTED_MAX if (name == "player_age" and source == "box_score_fallback") else REQUIRED_DEFAULTED_MAX
            if share > limit:
                problems[f"{name} ({source})"] = share
    return problems


@asset_check(asset="feature_store", blocking=True, partitions_def=game_date_partitions,
             description="The columns are the keys, then the feature contract's names in its order; every feature lies in its valid range.")
def feature_store_contract_and_ranges(feature_store: pd.DataFrame) -> AssetCheckResult:
    names = [c for c in feature_store.columns if c in FEATURE_CONTRACT.names]
    in_order = list(feature_store.columns[: len(KEY_COLUMNS) + len(FEATURE_CONTRACT.names)]) == KEY_COLUMNS + list(FEATURE_CONTRACT.names)
    violations = range_violations(feature_store)
    return AssetCheckResult(
        passed=in_order and names == list(FEATURE_CONTRACT.names) and violations.empty,
        metadata={"contract_version": FEATURE_CONTRACT.version, "columns_in_contract_order": in_order, "out_of_range": _md(violations)},
    )


# The leakage and variation checks need the history the asset was computed from (a partition
# mapping that asset checks' own inputs do not follow), so the asset evaluates them as it
# materialises, from these specs and functions.
INLINE_CHECK_SPECS = [
    AssetCheckSpec(
        "feature_store_no_leakage", asset="feature_store", blocking=True, partitions_def=game_date_partitions,
        description="Leakage: for a sample of rows, points_avg_last_5, points_avg_last_10, minutes_avg_last_10 and minutes_avg_last_3 recomputed "
        "from player_game_summary with games strictly before the game date must equal the stored values.",
    ),
    AssetCheckSpec(
        "feature_store_varies", asset="feature_store", partitions_def=game_date_partitions,
        description="No feature is constant across a slate of 20+ players (back-to-back and rest advantage only when the "
        "schedule makes them so; the line features over the players the market gave a line or an observed move), and none "
        "is defaulted for most of a slate once the season is under way. Not blocking: a slate with a frozen feature is "
        "still predicted, and the failure is alerted.",
    ),
]


def leakage_result(features: pd.DataFrame, history: pd.DataFrame) -> AssetCheckResult:
    mismatches = leakage_mismatches(features, history)
    return AssetCheckResult(
        check_name="feature_store_no_leakage", passed=mismatches.empty,
        metadata={"rows_sampled": min(LEAKAGE_SAMPLE, len(features)), "history_rows": len(history), "mismatches": _md(mismatches)},
    )


def variation_result(features: pd.DataFrame, team_context: pd.DataFrame, history: pd.DataFrame) -> AssetCheckResult:
    history_start = history["game_date"].min() if len(history) else None
    problems = variation_problems(features, team_context, history_start)
    stats = features[list(FEATURE_CONTRACT.names)].agg(["std", "nunique"]).T.reset_index(names="feature") if len(features) else pd.DataFrame()
    return AssetCheckResult(check_name="feature_store_varies", passed=problems.empty, metadata={"problems": _md(problems), "per_feature": _md(stats, 40)})


@asset_check(asset="feature_store", partitions_def=game_date_partitions,
             description=f"Required features ({', '.join(REQUIRED_FEATURES)}) are defaulted for at most 5% of rows "
             "(player_age: 15% on backfilled dates, whose birth dates come from later roster scrapes). Not blocking: "
             "the defaults are documented and the slate is still predicted.")
def feature_store_required_present(feature_store: pd.DataFrame) -> AssetCheckResult:
    problems = required_problems(feature_store)
    return AssetCheckResult(
        passed=not problems,
        metadata={**{f"defaulted_{k}": v for k, v in required_defaulted(feature_store).items()}, "too_often": MetadataValue.json(problems)},
    )


@asset_check(asset="feature_store", blocking=True, partitions_def=game_date_partitions,
             description="No feature of the contract is missing or infinite: the model is never served a hole.")
def feature_store_no_missing_values(feature_store: pd.DataFrame) -> AssetCheckResult:
    values = feature_store[list(FEATURE_CONTRACT.names)].astype(float)
    bad = (~np.isfinite(values)).sum()
    return AssetCheckResult(passed=int(bad.sum()) == 0, metadata={"missing_or_infinite": MetadataValue.json({k: int(v) for k, v in bad[bad > 0].items()})})


FEATURE_CHECKS = [
    *table_checks("feature_store", ["game_id", "player_lookup"], reference=("upcoming_player_game_context", "rostered players")),
    feature_store_contract_and_ranges,
    feature_store_required_present,
    feature_store_no_missing_values,
]
