"""Model quality on real 2024-25 NBA data, walk-forward, through the project's own code.

    python bench/model_quality.py --data ../shared/real-data [--books both|prizepicks|underdog] [--threshold 1.5]

Real box scores (nba_api), PrizePicks / Underdog points lines and birth dates (see the data's
SOURCES.md; adapters in bench/real_data.py) go through the project's functions: team and player
context, the feature store, `training_rows` / `train_points_model` (one model per week, trained on
games before its Monday), `predict_slate`, `grade` and `performance`. Prints, on the same graded
rows (a line, the player played, both systems predicting): MAE of catboost, of the moving-average
baseline and of the line, and each system's hit rate by edge bucket, plus catboost's calibration.
Real market reference: line MAE about 5.0-5.3, a 10-game average about 5.5-5.6, naive picks about
50 %, break-even at -110 is 52.4 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import real_data  # noqa: E402
from nba_assets.analytics.context import upcoming_player_context, upcoming_team_context  # noqa: E402
from nba_assets.analytics.lines import consensus_lines  # noqa: E402
from nba_assets.features.build import build_features  # noqa: E402
from nba_assets.grading.grade import grade  # noqa: E402
from nba_assets.grading.performance import EDGE_BUCKETS, compared_rows, performance, summarize  # noqa: E402
from nba_assets.model.training import train_points_model, training_rows  # noqa: E402
from nba_assets.predictions.recommend import predict_slate  # noqa: E402

SYSTEMS = ("catboost", "moving_average")


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def load(data: Path, books: str):
    """Every input of the pipeline, in the project's shapes, and the coverage figures."""
    box = real_data.player_games(data)
    teams, names = real_data.team_games(data)
    lines = real_data.dfs_lines(data, books, names)
    games = real_data.schedule(teams, lines.groupby("game_id", as_index=False)["tip_time_utc"].min())
    on_schedule = lines["game_id"].isin(games["game_id"])
    lines = lines[on_schedule]
    births, birth_stats = real_data.birth_dates(data, box)
    registry = real_data.registry(box, lines, births)
    quotes = real_data.quotes(lines, games)
    print(f"player-games {len(box)} ({int((box['minutes'] > 0).sum())} played) of {box['player_lookup'].nunique()} players, "
          f"{box['game_date'].min():%Y-%m-%d}..{box['game_date'].max():%Y-%m-%d}; team-games {len(teams)} ({games['game_id'].nunique()} games)")
    print(f"team points covered by the player logs: {pct(box['points'].sum(), teams['points'].sum())} (rookies missing)")
    print(f"lines ({books}): {int(on_schedule.sum())} on regular-season games, {int((~on_schedule).sum())} dropped (Cup final, postponed game); "
          + ", ".join(f"{b} {n}" for b, n in lines["bookmaker"].value_counts().items()))
    odds = registry[registry["source"] == "odds"]
    methods = odds["match_method"].value_counts()
    print(f"line names resolved to a box-score player: {pct(odds['player_lookup'].notna().sum(), len(odds))} of {len(odds)} (game, name) "
          f"[{', '.join(f'{m} {n}' for m, n in methods.items())}]")
    unresolved = odds[odds["player_lookup"].isna()]["source_name"].value_counts()
    print(f"  unresolved names (mostly 2024 rookies absent from the logs): {', '.join(unresolved.index[:8])}, ... ({len(unresolved)} names)")
    print(f"birth dates: {pct(len(births), birth_stats['players'])} of {birth_stats['players']} players "
          f"(NBA.com id {birth_stats['nba_person_id']}, BBRef name {birth_stats['bbref_name']}, BBRef name without suffix {birth_stats['bbref_without_suffix']})")
    return box, teams, games, quotes, registry, births


def build(box, teams, games, quotes, registry, births):
    """Team context, player context and feature rows of every date of the season at once (point in time)."""
    team_context = upcoming_team_context(games, teams)
    day_box = box[["game_date", "team_abbr", "bdl_player_id", "player_name"]]
    context = upcoming_player_context(team_context, real_data.empty_rosters(), day_box, registry, real_data.empty_injuries(),
                                      quotes.drop(columns="game_date"), box, births)
    features = build_features(context, team_context, box, teams)
    lines = consensus_lines(quotes)
    with_line = context["current_line"].notna()
    print(f"context rows {len(context)} ({context['roster_source'].value_counts().to_dict()}), with age {pct(context['player_age'].notna().sum(), len(context))}, "
          f"with a line {int(with_line.sum())}; consensus lines {len(lines)} (mean books {lines['line_books'].mean():.2f}), "
          f"reaching a player-game {pct(with_line.sum(), len(lines))}")
    return context.reset_index(drop=True), features.reset_index(drop=True)


def walk_forward(context, features, box, mondays, threshold):
    rows = training_rows(features, box)
    graded = []
    print(f"\n{'week':10} {'train':>6} {'valid':>6} {'val MAE model':>13} {'baseline':>8} {'line*':>6} {'model*':>6} {'iters':>5}  used   slate rows (with line)")
    for monday in mondays:
        model = train_points_model(rows, monday.date())
        meta, val = model.metadata, model.metadata["validation"]
        week = (features["game_date"] >= monday) & (features["game_date"] < monday + pd.Timedelta(days=7))
        slate, status = features[week], context.loc[week, "injury_status"]
        if model.cold_start:
            print(f"{monday:%Y-%m-%d} COLD START {meta['reason']}")
        else:
            line = f"{val['mae_line']:6.2f} {val['mae_model_on_line_rows']:6.2f}" if val["mae_line"] is not None else f"{'-':>6} {'-':>6}"
            print(f"{monday:%Y-%m-%d} {meta['rows']['train']:6d} {meta['rows']['validation']:6d} {val['mae_model']:13.3f} {val['mae_baseline']:8.3f} "
                  f"{line} {val['best_iteration']:5d}  {'yes' if model.used else 'NO '}   {len(slate)} ({int((slate['has_vegas_line'] > 0).sum())})")
        if slate.empty:
            continue
        predictions = predict_slate(slate, status, model, threshold, monday)
        graded.append(grade(predictions, box[box["game_date"].isin(slate["game_date"].unique())]))
    print("  (* validation rows with a line: line MAE, model MAE)")
    return pd.concat(graded, ignore_index=True)


def report(grades: pd.DataFrame, features: pd.DataFrame, threshold: float) -> None:
    rows = compared_rows(grades)
    one = rows[rows["system_id"] == "moving_average"]
    actual, line = one["actual_points"], one["line"]
    print(f"\nGraded {grades['game_date'].min():%Y-%m-%d}..{grades['game_date'].max():%Y-%m-%d}: {len(one)} player-games with a line, played, both systems predicting "
          f"(of {int((grades['system_id'] == 'moving_average').sum())} predicted)")
    print(f"actual vs line: over {pct((actual > line).sum(), len(one))}, under {pct((actual < line).sum(), len(one))}, push {pct((actual == line).sum(), len(one))}")
    print(f"{'':16} {'MAE':>6} {'bias':>6}")
    for system in SYSTEMS:
        part = rows[rows["system_id"] == system]
        error = part["predicted_points"] - part["actual_points"]
        print(f"{system:16} {error.abs().mean():6.3f} {error.mean():+6.3f}")
    print(f"{'line':16} {(line - actual).abs().mean():6.3f} {(line - actual).mean():+6.3f}")
    last10 = one.merge(features[["game_id", "player_lookup", "points_avg_last_10"]], on=["game_id", "player_lookup"])
    error = last10["points_avg_last_10"] - last10["actual_points"]
    print(f"{'(last-10 avg)':16} {error.abs().mean():6.3f} {error.mean():+6.3f}   reference: the feature points_avg_last_10")

    perf = performance(rows, rows["game_date"].max())
    perf = perf[perf["period"] == "season"]
    segments = ["all"] + [label for _, _, label in EDGE_BUCKETS]
    print(f"\nHit rate (wins / decided; threshold {threshold:g}; break-even at -110 is 52.4 %), same rows:")
    print(f"{'':16} " + " ".join(f"{s:>22}" for s in segments))
    for system in SYSTEMS:
        mine = perf[perf["system_id"] == system].set_index("segment")
        cells = []
        for segment in segments:
            r = mine.loc[segment] if segment in mine.index else None
            cells.append(f"{'-':>22}" if r is None or r["picks"] == 0 else f"{100 * r['hit_rate']:5.1f} % of {int(r['picks']):4d} ({int(r['pushes'])} push)")
        print(f"{system:16} " + " ".join(cells))
    for system in SYSTEMS:
        picks = rows[(rows["system_id"] == system) & rows["result"].notna()]
        sides = {side: summarize(part) for side, part in picks.groupby("recommendation")}
        print(f"  {system}: picks by side {({side: r['picks'] for side, r in sides.items()})}, hit % by side "
              + ", ".join(f"{side} {100 * r['hit_rate']:.1f}" for side, r in sides.items()) + f", mean confidence {100 * summarize(picks)['mean_confidence']:.1f} %")

    deciles = perf[(perf["system_id"] == "catboost") & (perf["segment_type"] == "confidence_decile")]
    if len(deciles):
        print("\nCatboost calibration (decided picks by confidence decile):")
        print("decile " + " ".join(f"{s:>6}" for s in deciles["segment"]))
        print("conf % " + " ".join(f"{100 * c:6.1f}" for c in deciles["mean_confidence"]))
        print("win %  " + " ".join(f"{100 * h:6.1f}" for h in deciles["hit_rate"]))
        print("picks  " + " ".join(f"{int(p):6d}" for p in deciles["wins"] + deciles["losses"]))
    else:
        print("\nCatboost made too few picks for a calibration table.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/real-data", help="the real-data folder (see its SOURCES.md)")
    parser.add_argument("--books", choices=sorted(real_data.BOOKS), default="both", help="which DFS book(s) make the consensus line")
    parser.add_argument("--threshold", type=float, default=1.5, help="|edge| needed to recommend (default 1.5)")
    parser.add_argument("--first-monday", default="2024-11-18")
    parser.add_argument("--last-monday", default="2025-01-13")
    args = parser.parse_args()

    started = time.perf_counter()
    data = Path(args.data)
    inputs = load(data, args.books)
    loaded = time.perf_counter()
    context, features = build(*inputs)
    built = time.perf_counter()
    print(f"load {loaded - started:.1f} s, context + features {built - loaded:.1f} s ({len(features)} feature rows)")
    mondays = list(pd.date_range(args.first_monday, args.last_monday, freq="W-MON"))
    grades = walk_forward(context, features, inputs[0], mondays, args.threshold)
    trained = time.perf_counter()
    report(grades, features, args.threshold)
    print(f"\nwall time {time.perf_counter() - started:.1f} s (walk-forward training + prediction + grading {trained - built:.1f} s)")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
