"""Asset checks of the predictions: plausible values, honest lines, one row per player, game and system."""

import numpy as np
import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetIn, MetadataValue, asset_check

from nba_assets.analytics.lines import consensus_lines
from nba_assets.market.offers import PICK_LOCK, latest_board, usable_quotes
from nba_assets.partitions import game_date_partitions
from nba_assets.picks import OVER, UNDER
from nba_assets.predictions.recommend import PREDICTION_RANGE, slate_bias
from nba_assets.quality import table_checks

CLAMPED_MAX = 0.005
MIN_ROWS = 20
SENTINEL_SHARE = 0.25
SENTINEL_MIN_LINES = 40


def prediction_problems(predictions: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(errors, warnings). Errors: predictions outside [0, 70], too many clamped (per date and
    system), a system recommending on a date its mean edge says it disagrees with the whole market.
    Warnings: a system withheld for that reason (its picks passed, as the rule says)."""
    errors, warnings = [], []
    low, high = PREDICTION_RANGE
    values = predictions["predicted_points"].dropna()
    if ((values < low) | (values > high)).any():
        errors.append(f"{int(((values < low) | (values > high)).sum())} predictions outside [{low:g}, {high:g}]")
    for (day, system), rows in predictions.groupby([predictions["game_date"].dt.strftime("%Y-%m-%d"), "system_id"]):
        clamped = rows["clamped"].astype(bool).mean()
        if len(rows) >= MIN_ROWS and clamped > CLAMPED_MAX:
            errors.append(f"{day} {system}: {clamped:.1%} of predictions clamped")
    for row in slate_bias(predictions).itertuples():
        if not row.biased:
            continue
        picks = predictions[(predictions["game_date"] == row.game_date) & (predictions["system_id"] == row.system_id)]
        recommending = int(picks["recommendation"].isin([OVER, UNDER]).sum())
        text = f"{row.game_date:%Y-%m-%d} {row.system_id}: mean edge {row.mean_edge:+.2f} points over {row.lines} lines"
        if recommending:
            errors.append(f"{text}, yet {recommending} picks recommended")
        else:
            warnings.append(f"{text}: its picks were withheld")
    return errors, warnings


def untraceable_lines(predictions: pd.DataFrame, props: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Lines used that no pre-tip raw snapshot explains: the consensus recomputed from the raw quotes
    (snapshots strictly before tip only) must give the same line for that player and game."""
    used = predictions.dropna(subset=["line"]).drop_duplicates(["game_id", "player_lookup"])[["game_id", "player_lookup", "line"]]
    if used.empty:
        return used
    raw = consensus_lines(props) if len(props) else consensus_lines(props.head(0))
    names = registry[registry["source"] == "odds"][["game_id", "source_name", "player_lookup"]].dropna()
    raw = raw.merge(names, left_on=["game_id", "player_name"], right_on=["game_id", "source_name"], suffixes=("_raw", ""))
    traced = used.merge(raw[["game_id", "player_lookup", "current_line"]], on=["game_id", "player_lookup"], how="left")
    return traced[~np.isclose(traced["line"], traced["current_line"].astype(float), rtol=0, atol=1e-9)]


def unquoted_picks(predictions: pd.DataFrame, props: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Picks whose book, line, side and price are not a quote of that book on its latest board before
    the pick's lock in the raw snapshots (the board a pick is made on)."""
    picks = predictions[predictions["recommendation"].isin([OVER, UNDER])][["game_id", "player_lookup", "system_id", "book", "offer_line", "recommendation", "price"]]
    if picks.empty:
        return picks
    quotes = latest_board(usable_quotes(props), PICK_LOCK) if len(props) else props
    names = registry[registry["source"] == "odds"][["game_id", "source_name", "player_lookup"]].dropna().drop_duplicates(["game_id", "source_name"])
    quotes = quotes.merge(names, left_on=["game_id", "player_name"], right_on=["game_id", "source_name"])
    quoted = quotes.assign(recommendation=quotes["side"].str.upper(), book=quotes["bookmaker"], offer_line=quotes["line"])[
        ["game_id", "player_lookup", "book", "offer_line", "recommendation", "price"]].drop_duplicates()
    traced = picks.astype({"price": "Int64"}).merge(quoted.astype({"price": "Int64"}), how="left", indicator=True,
                                                    on=["game_id", "player_lookup", "book", "offer_line", "recommendation", "price"])
    return traced[traced["_merge"] == "left_only"].drop(columns="_merge")


def sentinel_lines(predictions: pd.DataFrame) -> pd.DataFrame:
    """Dates on which one line value is used for a suspicious share of players (a placeholder such as 20.0)."""
    lines = predictions.dropna(subset=["line"]).drop_duplicates(["game_id", "player_lookup"])
    out = []
    for day, rows in lines.groupby(lines["game_date"].dt.strftime("%Y-%m-%d")):
        top = rows["line"].value_counts()
        if len(rows) >= SENTINEL_MIN_LINES and top.iloc[0] / len(rows) > SENTINEL_SHARE:
            out.append({"game_date": day, "line": top.index[0], "share": top.iloc[0] / len(rows), "lines": len(rows)})
    return pd.DataFrame(out, columns=["game_date", "line", "share", "lines"])


@asset_check(asset="predictions", blocking=True, partitions_def=game_date_partitions,
             description="Predictions lie within [0, 70] points; under 0.5% were clamped; no system recommends on a date its mean "
             "edge is beyond +/-1.5 points (it disagrees with the whole market); a system whose picks were withheld for that is warned about.")
def predictions_plausible(predictions: pd.DataFrame) -> AssetCheckResult:
    errors, warnings = prediction_problems(predictions)
    edges = predictions.groupby("system_id")["edge"].mean() if len(predictions) else pd.Series(dtype=float)
    return AssetCheckResult(
        passed=not errors and not warnings, severity=AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN,
        metadata={"problems": MetadataValue.md("\n".join(f"- {p}" for p in errors) or "none"),
                  "withheld": MetadataValue.md("\n".join(f"- {p}" for p in warnings) or "none"),
                  **{f"mean_edge_{s}": float(v) for s, v in edges.items() if pd.notna(v)}},
    )


@asset_check(asset="predictions", blocking=True, partitions_def=game_date_partitions,
             additional_ins={"raw_player_props": AssetIn("raw_player_props"), "player_registry": AssetIn("player_registry")},
             description="Every line used traces to raw sportsbook snapshots taken before the pick's lock, every pick's book, line, side and "
             "price is a real quote of that book on the board it was made on, and no line value is a repeated placeholder.")
def predictions_lines_are_real(predictions: pd.DataFrame, raw_player_props: pd.DataFrame, player_registry: pd.DataFrame) -> AssetCheckResult:
    untraced = untraceable_lines(predictions, raw_player_props, player_registry)
    unquoted = unquoted_picks(predictions, raw_player_props, player_registry)
    sentinels = sentinel_lines(predictions)
    return AssetCheckResult(
        passed=untraced.empty and unquoted.empty and sentinels.empty,
        metadata={"lines": int(predictions.dropna(subset=["line"]).drop_duplicates(["game_id", "player_lookup"]).shape[0]) if len(predictions) else 0,
                  "picks": int(predictions["recommendation"].isin([OVER, UNDER]).sum()) if len(predictions) else 0,
                  "untraceable": MetadataValue.md(untraced.head(20).to_markdown(index=False) if len(untraced) else "none"),
                  "picks_not_quoted": MetadataValue.md(unquoted.head(20).to_markdown(index=False) if len(unquoted) else "none"),
                  "repeated_values": MetadataValue.md(sentinels.to_markdown(index=False) if len(sentinels) else "none")},
    )


PREDICTION_CHECKS = [*table_checks("predictions", ["game_id", "player_lookup", "system_id"], reference=("feature_store", "feature rows")), predictions_plausible, predictions_lines_are_real]
