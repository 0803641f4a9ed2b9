"""How realistic is the simulated league? Scrape a season through our clients and parsers and print
the figures a real market shows (DESIGN §7: line MAE about 5.0, a 10-game average about 5.5).

    python bench/simulated_realism.py [--season 2024] [--days N] [--seed S]

Figures: points per played game (mean, p90), share of DNP rows, line MAE against actual points
(the platform's consensus line from snapshots 10 h, 1 h and 15 min before tip: the median of the
books' main lines at the latest snapshot it counts), % over / under / push, how many odds names
match a box-score name by `player_lookup` alone, and the scrape time.

Then, straight from the simulated market (`resources.simulated.market_figures`), per book:
closing-line MAE (on the player-games every book lists, above the sharp book's where both list,
and on those it lists), over / under / push, overround at the decision board (1 h before tip),
players listed per game and share of closing lines that moved from the opener; how often the soft book's main line is a point or more off the sharp one at
the decision and closing boards; and the strategy that bets the soft book where the sharp book's
fair probability gives an EV of 3% or more: bets, hit rate, ROI with its 95% interval, mean CLV
against the soft book's closing board.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nba_assets.analytics.lines import consensus_lines  # noqa: E402
from nba_assets.keys import player_lookup  # noqa: E402
from nba_assets.raw.box_scores import parse_box_scores  # noqa: E402
from nba_assets.raw.common import as_utc  # noqa: E402
from nba_assets.raw.odds import parse_events, parse_props  # noqa: E402
from resources.balldontlie import BalldontlieApi  # noqa: E402
from resources.http import ApiSession  # noqa: E402
from resources.landing import LandedRecord  # noqa: E402
from resources.odds_api import OddsApi  # noqa: E402
from resources.simulated import SIMULATED_BASE_URLS, SimulatedLeague  # noqa: E402
from resources.simulated import market_figures as figures  # noqa: E402
from resources.simulated.books import BOOKS  # noqa: E402
from nba_assets.partitions import et_midnight  # noqa: E402

SNAPSHOT_HOURS = (10.0, 1.0, 0.25)  # as raw_player_props takes them: opening, decision board, close


def record(payload, fetched_at: datetime) -> LandedRecord:
    return LandedRecord(Path("bench"), {"fetched_at": fetched_at.isoformat(), "payload": payload})


def scrape(league: SimulatedLeague, days: list) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    transport = league.transport()
    bdl = BalldontlieApi(ApiSession("balldontlie", httpx.Client(transport=transport, base_url=SIMULATED_BASE_URLS["balldontlie"])))
    odds = OddsApi(ApiSession("The Odds API", httpx.Client(transport=transport, base_url=SIMULATED_BASE_URLS["odds"])), None)
    box_frames, quote_rows, requests = [], [], 0
    now = league.now()
    for day in days:
        key = day.isoformat()
        box_frames.append(parse_box_scores({"games": bdl.games(day), "box_scores": bdl.box_scores(day)}, day, key, pd.Timestamp(now.replace(tzinfo=None)))[0])
        start = et_midnight(day)
        listing = odds.historical_events(start + timedelta(hours=10), start, start + timedelta(days=1))
        events, _ = parse_events([record(listing, now)], day)
        for event in events.itertuples():
            for hours in SNAPSHOT_HOURS:
                body = odds.historical_event_odds(event.event_id, as_utc(event.tip_time_utc) - timedelta(hours=hours))
                quote_rows.extend(parse_props(record(body, now), day))
    requests = bdl.session.stats.requests + odds.session.stats.requests
    return pd.concat(box_frames, ignore_index=True), pd.DataFrame(quote_rows), requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--season", type=int, default=2024, help="season start year (default 2024 = 2024-25)")
    parser.add_argument("--days", type=int, default=0, help="only the first N game days (default: the whole season)")
    parser.add_argument("--seed", type=int, default=20211019)
    args = parser.parse_args()

    clock = datetime(args.season + 1, 7, 1, tzinfo=timezone.utc)
    league = SimulatedLeague(seed=args.seed, clock=lambda: clock, odds_quota=10**9)
    started = time.perf_counter()
    season = league.season(args.season)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    for g in range(len(season.schedule)):
        season.markets.game(g)
    built = time.perf_counter() - started
    days = sorted(set(league.season(args.season).schedule["game_date"]))
    days = days[: args.days] if args.days else days
    started = time.perf_counter()
    box, quotes, requests = scrape(league, days)
    scraped = time.perf_counter() - started

    played = box[box["minutes"] > 0]
    lines = consensus_lines(quotes)
    box = box.assign(player_lookup=box["player_name"].map(player_lookup))
    joined = lines.merge(box[["game_id", "player_lookup", "pts", "minutes"]], on=["game_id", "player_lookup"], how="left")
    matched = joined["pts"].notna().mean()
    graded = joined[joined["minutes"] > 0]
    error = (graded["current_line"] - graded["pts"]).abs()
    over = (graded["pts"] > graded["current_line"]).mean()
    under = (graded["pts"] < graded["current_line"]).mean()
    push = (graded["pts"] == graded["current_line"]).mean()
    opening_error = (graded["opening_line"] - graded["pts"]).abs()

    print(f"simulated league, seed {args.seed}, season {args.season}-{str(args.season + 1)[2:]}: {len(days)} game days, {box['game_id'].nunique()} games")
    print(f"season generated in {generated:.2f} s, its {len(season.schedule)} markets built in {built:.2f} s; scraped and parsed through the clients in {scraped:.1f} s ({requests} requests, {1000 * scraped / max(requests, 1):.1f} ms each)")
    print(f"points per played game      mean {played['pts'].mean():.2f}   p90 {np.percentile(played['pts'], 90):.0f}   (real 2024-25: about 11 and 24)")
    print(f"DNP share of box-score rows {100 * (box['minutes'] == 0).mean():.1f} %")
    print(f"player-games with a line    {len(lines)} ({len(graded)} played), {lines['line_books'].mean():.1f} books each")
    print(f"odds names matching a box-score name by player_lookup alone: {100 * matched:.1f} %")
    print(f"line MAE vs actual points   current {error.mean():.2f}   opening {opening_error.mean():.2f}   (real market: about 5.0)")
    print(f"over / under / push         {100 * over:.1f} / {100 * under:.1f} / {100 * push:.1f} %   (real: about 48 / 51 / 1)")
    print(f"books in the scraped snapshots: {', '.join(sorted(quotes['bookmaker'].unique()))}")
    print_books(season)


def print_books(season) -> None:
    """The per-book figures and the soft-book strategy, read from the market's boards."""
    boards = figures.Boards(season)
    per_book = figures.book_figures(boards)
    strategy = figures.soft_strategy(boards)
    print("\nper book, from the market; closing board = latest before tip, decision board = the snapshot 1 h before tip")
    print("MAE: on the player-games every book lists / above the sharp book's where both list / on those it lists")
    print(f"{'book':<16}{'region':<8}{'MAE common':>11}{'vs sharp':>10}{'own':>7}{'over':>8}{'under':>7}{'push':>6}"
          f"{'overround':>11}{'listed/game':>13}{'moved':>7}")
    for book, row in zip(BOOKS, per_book.itertuples()):
        print(f"{book.key:<16}{book.region:<8}{row.mae_common:>11.3f}{row.mae_excess:>+10.3f}{row.mae:>7.3f}{100 * row.over:>7.1f}%"
              f"{100 * row.under:>6.1f}%{100 * row.push:>5.1f}%{100 * row.overround:>10.2f}%{row.per_game:>13.1f}{100 * row.moved:>6.0f}%")
    for name, before in (("closing", 0), ("decision", figures.DECISION)):
        line = figures.consensus(boards, before)
        print(f"consensus (median of every book's {name} main line) MAE {line['mae']:.3f}, over / under / push "
              f"{100 * line['over']:.1f} / {100 * line['under']:.1f} / {100 * line['push']:.1f} %")
    gaps = {}
    for name, before in (("decision (1 h)", figures.DECISION), ("closing (15 min)", figures.CLOSING)):
        table = boards.at(before)
        pairs = table[table["book"] == figures.SOFT].merge(table[table["book"] == figures.SHARP], on="row", suffixes=("", "_sharp"))
        gaps[name] = ((pairs["line"] - pairs["line_sharp"]).abs() >= 1).mean()
    print("soft vs sharp main lines a point or more apart: " + ", ".join(f"{k} {100 * v:.1f}%" for k, v in gaps.items()))
    roi, low, high = strategy.roi()
    bets, decided = strategy.bets, strategy.decided
    print(f"strategy (bet {BOOKS[figures.SOFT].key} where the {BOOKS[figures.SHARP].key} fair probability gives EV >= 3%, decision board): "
          f"{len(bets)} bets of {strategy.pairs} player-games both list ({len(decided)} decided, "
          f"{100 * (bets['line'] == bets['line_sharp']).mean():.0f}% at the sharp line), mean EV {100 * bets['ev'].mean():.1f}%, "
          f"hit {100 * (decided['result'] == 1).mean():.1f}%, ROI {100 * roi:+.1f}% (95% {100 * low:+.1f}% .. {100 * high:+.1f}%), "
          f"mean CLV {100 * np.nanmean(bets['clv']):+.2f} points of probability")


if __name__ == "__main__":
    main()
