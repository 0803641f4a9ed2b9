"""How realistic is the simulated league? Scrape a season through our clients and parsers and print
the figures a real market shows (DESIGN §7: line MAE about 5.0, a 10-game average about 5.5).

    python bench/simulated_realism.py [--season 2024] [--days N] [--seed S]

Figures: points per played game (mean, p90), share of DNP rows, line MAE against actual points
(consensus line = median of books' main lines at the latest snapshot before tip), % over / under /
push, how many odds names match a box-score name by `player_lookup` alone, and the scrape time.
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
from nba_assets.partitions import et_midnight  # noqa: E402

SNAPSHOT_HOURS = (10.0, 0.25)


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
    league.season(args.season)
    generated = time.perf_counter() - started
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
    print(f"season generated in {generated:.2f} s; scraped and parsed through the clients in {scraped:.1f} s ({requests} requests, {1000 * scraped / max(requests, 1):.1f} ms each)")
    print(f"points per played game      mean {played['pts'].mean():.2f}   p90 {np.percentile(played['pts'], 90):.0f}   (real 2024-25: about 11 and 24)")
    print(f"DNP share of box-score rows {100 * (box['minutes'] == 0).mean():.1f} %")
    print(f"player-games with a line    {len(lines)} ({len(graded)} played), {lines['line_books'].mean():.1f} books each")
    print(f"odds names matching a box-score name by player_lookup alone: {100 * matched:.1f} %")
    print(f"line MAE vs actual points   closing {error.mean():.2f}   opening {opening_error.mean():.2f}   (real market: about 5.0)")
    print(f"over / under / push         {100 * over:.1f} / {100 * under:.1f} / {100 * push:.1f} %   (real: about 48 / 51 / 1)")


if __name__ == "__main__":
    main()
