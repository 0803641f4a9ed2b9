"""Pricing on REAL lines: every system against the market on the same offers, at the books' offered prices.

    python bench/real_season.py --keep /tmp/real                                  # the season through the platform, every book the replay serves
    python bench/market_quality.py --warehouse /tmp/real/clean/data               # this bench, on what the platform stored

Reads what `bench/real_season.py` stored through the platform's assets (`predictions`,
`prediction_grades`, `prop_offers`, `raw_player_props`, `player_game_summary`, `player_registry`) and
prints, side by side for each span of real player-points lines the replay serves:

- the 2024 playoffs (March-May 2024 multi-book lines, 10 books: the season's first models learn here);
- the 2024-25 DFS lines (PrizePicks, Underdog to 2025-01-12), priced as pick'em: every pick a leg of a
  2-pick Power Play paying 3x (-137 a side, break-even 57.7%);
- February-May 2025 (8 books with Pinnacle),

per system (`market`, `catboost`, `moving_average`, `blend`):
- log loss and Brier of P(over) at the line beside the market's on the same player-games, with the
  paired difference's 95% interval (below zero: better than the market);
- its picks: those the platform published (its gate at offered prices open) and the candidates it
  would have made with the gate open (best offer's EV above the threshold): n, hit rate, ROI at the
  offered prices with its 95% interval, units at the platform's stakes, closing-line value where a
  later board exists, the share of picks at the best price any book offered for that side and line;
- checks written here, not the platform's code: every pick's price is a quote of the named book on
  its last board before the pick's lock in the raw snapshots; an independent settlement in units from
  the box scores agrees with the platform's on every pick;
- the market's line shopping at the opening board (each book's latest snapshot 9 hours or more
  before tip, the morning lines), where the real feeds have two boards of a book: its picks there,
  settled, with their closing-line value against the closing board (the platform's own picks are
  made on the board before the lock, 30 minutes before tip, which on the real feeds is nearly always
  the closing board itself: no later board, no CLV);
- the time to price a slate of 450 players x 10 books (offers, probabilities, EV, stakes).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from nba_assets.grading.grade import grade
from nba_assets.grading.performance import summarize
from nba_assets.market.clv import closing_line_value
from nba_assets.market.consensus import player_markets
from nba_assets.market.curve import over_probabilities
from nba_assets.market.offers import PICK_LOCK, board, board_offers
from nba_assets.market.pricing import best_offers
from nba_assets.model.evidence import EV_THRESHOLD
from nba_assets.market.prices import PICKEM_BOOKS, PICKEM_PRICE
from nba_assets.model.artifact import PointsModel
from nba_assets.partitions import week_of
from nba_assets.picks import OVER, UNDER, mean_interval
from nba_assets.predictions.recommend import SYSTEMS, predict_slate
from resources.model_files import StoredModel

OPENING_LEAD = pd.Timedelta(hours=9)
SPANS = {"2024 playoffs, 10 books": ("2024-04-16", "2024-05-25"), "2024-25 DFS pick'em": ("2024-10-22", "2025-01-12"),
         "2025 Feb-May, 8 books + Pinnacle": ("2025-02-19", "2025-05-03")}
TABLES = ("predictions", "prediction_grades", "prop_offers", "raw_player_props", "player_game_summary", "player_registry")


def load(warehouse: Path) -> dict[str, pd.DataFrame]:
    import duckdb

    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as conn:
        return {name: conn.execute(f"select * from nba.{name}").fetchdf() for name in TABLES}


def latest(predictions: pd.DataFrame) -> pd.DataFrame:
    return predictions.sort_values("predicted_at_utc", kind="stable").drop_duplicates(["game_id", "player_lookup", "system_id"], keep="last")


def candidates(predictions: pd.DataFrame) -> pd.DataFrame:
    """The picks each system made, and those it would have made with its gate open: its best offer's
    EV at or above the threshold, the player not ruled out, the system not withheld for the day."""
    rows = latest(predictions)
    published = rows["recommendation"].isin([OVER, UNDER])
    gated = (rows["recommendation"] == "PASS") & rows["reason"].fillna("").str.startswith("no edge") & (rows["ev"] >= rows["ev_threshold"])
    out = rows[published | gated].copy()
    out["published"] = published[published | gated]
    out["recommendation"] = out["side"]
    return out


# ------------------------------------------------------------------------ checks written in this bench
def american_to_decimal(price: float) -> float:
    return 1 + price / 100 if price > 0 else 1 + 100 / -price


def settle(picks: pd.DataFrame, games: pd.DataFrame) -> pd.Series:
    """Each pick's return per unit staked from the box scores: a win pays the price less the stake, a
    loss costs the stake, a push (points on the line) and a player who did not play return it (void: none)."""
    box = games.set_index(["game_id", "player_lookup"])[["points", "minutes"]]
    out = []
    for pick in picks.itertuples():
        key = (pick.game_id, pick.player_lookup)
        if key not in box.index or not box.loc[key, "minutes"] > 0:
            out.append(np.nan)
            continue
        points = float(box.loc[key, "points"])
        if points == pick.offer_line:
            out.append(0.0)
        else:
            out.append(american_to_decimal(float(pick.price)) - 1 if (points > pick.offer_line) == (pick.recommendation == OVER) else -1.0)
    return pd.Series(out, index=picks.index)


def quoted(picks: pd.DataFrame, props: pd.DataFrame, registry: pd.DataFrame) -> pd.Series:
    """Whether each pick is a quote of its book on that book's last snapshot before the lock (30 minutes before tip), at its line, side and price."""
    names = registry[registry["source"] == "odds"][["game_id", "source_name", "player_lookup"]].dropna().drop_duplicates(["game_id", "source_name"])
    raw = props.merge(names, left_on=["game_id", "player_name"], right_on=["game_id", "source_name"])
    raw = raw[raw["snapshot_at_utc"] < raw["tip_time_utc"] - pd.Timedelta(minutes=30)]
    last = raw.groupby(["game_id", "bookmaker", "player_lookup"])["snapshot_at_utc"].transform("max")
    raw = raw[raw["snapshot_at_utc"] == last]
    quotes = {(r.game_id, r.player_lookup, r.bookmaker, float(r.line), r.side.upper()): r.price for r in raw.itertuples()}
    ok = []
    for pick in picks.itertuples():
        price = quotes.get((pick.game_id, pick.player_lookup, pick.book, float(pick.offer_line), pick.recommendation), "none")
        ok.append(price != "none" and (pick.price == PICKEM_PRICE if pick.book in PICKEM_BOOKS else price == pick.price))
    return pd.Series(ok, index=picks.index)


def at_best_price(picks: pd.DataFrame, offers: pd.DataFrame) -> pd.Series:
    """Whether each pick's price is the best any book offered on the decision board for that player, line and side."""
    decision = board(offers, "decision")
    best = {}
    for side, column in ((OVER, "over_price"), (UNDER, "under_price")):
        priced = decision.dropna(subset=[column])
        decimal = priced[column].astype(float).map(american_to_decimal)
        for key, value in decimal.groupby([priced["game_id"], priced["player_lookup"], priced["line"]]).max().items():
            best[(*key, side)] = value
    return pd.Series([american_to_decimal(float(p.price)) >= best.get((p.game_id, p.player_lookup, float(p.offer_line), p.recommendation), np.inf) - 1e-9
                      for p in picks.itertuples()], index=picks.index)


def opening_market(props: pd.DataFrame, registry: pd.DataFrame, offers: pd.DataFrame, games: pd.DataFrame) -> pd.DataFrame:
    """The market system's picks at the opening board (each book's latest snapshot `OPENING_LEAD` or
    more before tip): its best offers with EV above the threshold, settled here, with their CLV
    against the closing board."""
    early = props[props["snapshot_at_utc"] <= props["tip_time_utc"] - OPENING_LEAD]
    names = registry[registry["source"] == "odds"]
    opening = board(board_offers(early, names), "decision")
    opening = opening[opening["player_lookup"].notna()]
    if opening.empty:
        return pd.DataFrame(columns=["return", "clv_prob_market", "clv_line_market", "clv_prob_book"])
    market = player_markets(opening)[["game_id", "player_lookup", "market_mean"]]
    priced = opening.merge(market, on=["game_id", "player_lookup"])
    p_over, p_push = over_probabilities(priced["market_mean"], priced["line"])
    picks = best_offers(priced, p_over, p_push, p_over).rename(columns={"bookmaker": "book", "line": "offer_line"}).reset_index(drop=True)
    picks["recommendation"] = picks["side"]
    picks["pick"] = picks["ev"] >= EV_THRESHOLD
    picks["return"] = settle(picks, games)
    clv = closing_line_value(picks, pd.concat([opening, board(offers, "closing")], ignore_index=True))
    return pd.concat([picks, clv], axis=1)


# ------------------------------------------------------------------------ figures
def interval(value, low, high, scale=100.0, digits=1) -> str:
    if value is None or pd.isna(value):
        return "-"
    return f"{scale * value:+.{digits}f} [{scale * low:+.{digits}f}, {scale * high:+.{digits}f}]" if pd.notna(low) else f"{scale * value:+.{digits}f}"


def probability_table(grades: pd.DataFrame) -> list[str]:
    lines = [f"  {'system':16} {'rows':>6} {'log loss':>9} {'market':>8} {'diff x1000 [95%]':>22} {'Brier':>7} {'market':>7}"]
    for system in SYSTEMS:
        rows = grades[(grades["system_id"] == system) & grades["log_loss"].notna()]
        if rows.empty:
            lines.append(f"  {system:16} {0:>6}")
            continue
        r = summarize(rows)
        lines.append(f"  {system:16} {r['scored']:>6} {r['log_loss']:>9.4f} {r['market_log_loss']:>8.4f} "
                     f"{interval(r['log_loss_diff'], r['log_loss_diff_low'], r['log_loss_diff_high'], 1000.0, 2):>22} {r['brier']:>7.4f} {r['market_brier']:>7.4f}")
    return lines


def picks_table(graded: pd.DataFrame, label: str) -> list[str]:
    lines = [f"  {label}: {'system':16} {'picks':>6} {'hit rate':>9} {'ROI % [95%]':>22} {'units':>8} {'CLV pp (n)':>14} {'CLV line (n)':>14} {'best price':>10}"]
    for system in SYSTEMS:
        rows = graded[graded["system_id"] == system]
        r = summarize(rows)
        decided = r["wins"] + r["losses"]
        if not decided:
            lines.append(f"  {'':{len(label) + 2}}{system:16} {0:>6}")
            continue
        clv = f"{100 * r['clv_prob']:+.2f} ({r['clv_picks']})" if r["clv_picks"] else "- (0)"
        clv_line = f"{r['clv_line']:+.2f} ({r['clv_picks']})" if r["clv_picks"] else "- (0)"
        lines.append(f"  {'':{len(label) + 2}}{system:16} {r['picks']:>6} {r['hit_rate']:>9.1%} {interval(r['roi'], r['roi_low'], r['roi_high']):>22} "
                     f"{r['units']:>+8.1f} {clv:>14} {clv_line:>14} {rows['at_best_price'].mean():>10.0%}")
    return lines


def span_report(name: str, first: str, last: str, data: dict[str, pd.DataFrame]) -> tuple[list[str], dict]:
    within = lambda frame: frame[(frame["game_date"] >= pd.Timestamp(first)) & (frame["game_date"] <= pd.Timestamp(last))]  # noqa: E731
    grades, predictions, offers = within(data["prediction_grades"]), within(data["predictions"]), within(data["prop_offers"])
    games, props = within(data["player_game_summary"]), within(data["raw_player_props"])
    lined = grades[(grades["system_id"] == "market") & grades["line"].notna() & ~grades["is_voided"].astype(bool)]
    decision = board(offers, "decision")
    lines = [f"\n== {name} ({first} .. {last}): {decision['bookmaker'].nunique()} books ({', '.join(sorted(decision['bookmaker'].unique()))}), "
             f"{lined[['game_id', 'player_lookup']].drop_duplicates().shape[0]} played player-games with a line; over "
             f"{(lined['actual_points'] > lined['line']).mean():.1%}, push {(lined['actual_points'] == lined['line']).mean():.1%}"]
    if lined.empty:
        return lines + ["  no lines in this span"], {}
    lines.append("P(over) at the line, on the same player-games as the market:")
    lines += probability_table(grades)
    chosen = candidates(predictions)
    graded = grade(chosen, games, offers)  # the platform's settlement of every pick and candidate
    graded = graded.merge(chosen[["game_id", "player_lookup", "system_id", "published"]], on=["game_id", "player_lookup", "system_id"])
    graded["at_best_price"] = at_best_price(graded, offers).to_numpy()
    mine = settle(graded, games)
    agree = ((mine.isna() & graded["pick_return"].isna()) | np.isclose(mine, graded["pick_return"], rtol=0, atol=1e-9)).to_numpy()
    real = quoted(graded, props, data["player_registry"])
    lines.append("Picks at the books' offered prices (published: the platform's; candidates: with the gate open, EV above the threshold):")
    lines += picks_table(graded[graded["published"]], "published")
    lines += picks_table(graded, "candidates")
    every = opening_market(props, data["player_registry"][data["player_registry"]["game_date"].between(pd.Timestamp(first), pd.Timestamp(last))], offers, games)
    early = every[every["pick"]] if len(every) else every
    settled = early["return"].dropna()
    later = every["clv_prob_market"].dropna() if len(every) else pd.Series(dtype=float)
    if len(later):
        lines.append(f"  the market's best offer of every player at the opening board (any EV), against the close: CLV {100 * later.mean():+.2f} pp over "
                     f"{len(later)} players with a later board ({every['clv_line_market'].dropna().mean():+.2f} line points), of {len(every)} priced")
    if len(settled):
        low, high = mean_interval(settled.sum(), (settled**2).sum(), len(settled))
        clv = early["clv_prob_market"].dropna()
        lines.append(f"  market at the opening board ({OPENING_LEAD.seconds // 3600} h or more before tip): {len(settled)} picks, hit rate "
                     f"{(settled > 0).sum() / max((settled != 0).sum(), 1):.1%}, ROI {interval(settled.mean(), low, high)} %, CLV against the close "
                     f"{100 * clv.mean():+.2f} pp over {len(clv)} picks with a later board ({early['clv_line_market'].dropna().mean():+.2f} line points)"
                     if len(clv) else f"  market at the opening board: {len(settled)} picks, ROI {interval(settled.mean(), low, high)} %, no later board to judge them by")
    else:
        lines.append(f"  market at the opening board: no picks ({len(every)} players priced there, no best offer with EV above {EV_THRESHOLD:.0%})")
    lines.append(f"  every pick a quote of its book on its last board before the lock: {int(real.sum())} of {len(real)}; "
                 f"independent settlement agrees with the platform's on {int(agree.sum())} of {len(agree)} picks")
    for _, pick in graded[~agree | ~real.to_numpy()].head(5).iterrows():
        lines.append(f"    DISAGREES {pick['game_id']} {pick['player_lookup']} {pick['system_id']} {pick['book']} {pick['recommendation']} {pick['offer_line']} "
                     f"{pick['price']}: platform {pick['pick_return']}, bench {mine[_]}")
    blend = summarize(grades[(grades["system_id"] == "blend") & grades["log_loss"].notna()])
    return lines, {"picks": len(graded), "quoted": int(real.sum()), "agree": int(agree.sum()), "blend_diff": blend["log_loss_diff"],
                   "blend_high": blend["log_loss_diff_high"], "graded": graded}


def stored_model(folder: Path) -> PointsModel:
    """The weekly model the platform stored in `folder` (metadata and CatBoost file)."""
    import json

    metadata = json.loads((folder / "metadata.json").read_text())
    file = (folder / f"model-{metadata['file_hash'][:16]}.cbm").read_bytes() if metadata.get("file_hash") else None
    return PointsModel.served(StoredModel.read(metadata, file, str(folder)))


def pricing_speed(data: dict[str, pd.DataFrame], models: Path, players: int = 450, books: int = 10, repeats: int = 15) -> str:
    """Milliseconds to price a slate of `players` x `books` (raw quotes to offers, consensus, four systems' probabilities, EV, best offers, stakes)."""
    props = data["raw_player_props"]
    busiest = props.groupby("game_date")["player_name"].nunique().idxmax()
    slate_props = props[props["game_date"] == busiest]
    names = data["player_registry"]
    names = names[(names["source"] == "odds") & (names["game_date"] == busiest)]
    features_day = data["predictions"][(data["predictions"]["game_date"] == busiest)]
    model = stored_model(models / "points_model" / week_of(pd.Timestamp(busiest)))
    import duckdb

    with duckdb.connect(str(models.parent / "warehouse.duckdb"), read_only=True) as conn:
        features = conn.execute("select * from nba.feature_store where game_date = ?", [busiest]).fetchdf()
    # replicate the slate's players and books to the size asked for: same quotes, new names and books
    base_players = slate_props["player_name"].unique()
    copies = int(np.ceil(players / max(len(base_players), 1)))
    base_books = slate_props["bookmaker"].unique()
    book_copies = int(np.ceil(books / max(len(base_books), 1)))
    quotes = pd.concat([slate_props.assign(player_name=slate_props["player_name"] + f" {i}", bookmaker=slate_props["bookmaker"] + f"{j}")
                        for i in range(copies) for j in range(book_copies)], ignore_index=True)
    quotes = quotes[quotes["player_name"].isin(sorted(quotes["player_name"].unique())[:players]) & quotes["bookmaker"].isin(sorted(quotes["bookmaker"].unique())[:books])]
    registry = pd.concat([names.assign(source_name=names["source_name"] + f" {i}", player_lookup=names["player_lookup"] + f"{i}") for i in range(copies)])
    slate = pd.concat([features.assign(player_lookup=features["player_lookup"] + f"{i}") for i in range(copies)], ignore_index=True)
    slate = slate[slate["player_lookup"].isin(registry["player_lookup"])].head(players)
    injury = pd.Series([None] * len(slate))
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        offers = board(board_offers(quotes, registry), "decision")
        predict_slate(slate, injury, model, offers, pd.Timestamp(busiest))
        timings.append(1000 * (time.perf_counter() - began))
    return (f"pricing a slate of {slate.shape[0]} players x {quotes['bookmaker'].nunique()} books ({len(offers)} offers, four systems; from "
            f"{busiest:%Y-%m-%d}'s quotes and features): median {np.median(timings):.0f} ms, max {np.max(timings):.0f} ms over {repeats} runs "
            f"(target <= 100 ms; {len(features_day)} predictions that day)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", required=True, help="the data folder of a bench/real_season.py run (DIR/clean/data)")
    parser.add_argument("--span", action="append", help="NAME:FIRST:LAST (repeatable; default: the three spans of real lines)")
    args = parser.parse_args()
    started = time.perf_counter()
    warehouse = Path(args.warehouse)
    data = load(warehouse)
    spans = {name: (first, last) for name, first, last in (s.split(":") for s in args.span)} if args.span else SPANS
    print(f"lock: picks on each book's last board before {PICK_LOCK.seconds // 60} minutes before tip; closing line: the last before tip")
    results = {}
    for name, (first, last) in spans.items():
        lines, results[name] = span_report(name, first, last, data)
        print("\n".join(lines), flush=True)
    print("\n== targets")
    for name, result in results.items():
        if not result:
            continue
        graded = result["graded"]
        published = graded[graded["published"]]
        best = max((summarize(graded[graded["system_id"] == s]) for s in SYSTEMS), key=lambda r: (r["roi"] if r["picks"] else -np.inf))
        print(f"  {name}: blend log loss - market's {1000 * result['blend_diff']:+.2f} x1000 (upper 95% {1000 * result['blend_high']:+.2f}: "
              f"{'below zero' if result['blend_high'] < 0 else 'not below zero'}); published picks {len(published)}; best candidate ROI "
              f"{100 * (best['roi'] or 0):+.1f}% over {best['picks']} (target >= +2% over >= 300 with CLV > 0); quotes real {result['quoted']}/{result['picks']}; "
              f"settlement agrees {result['agree']}/{result['picks']}")
    print("  " + pricing_speed(data, warehouse / "models"))
    print(f"wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
