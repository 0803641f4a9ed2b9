"""Over a season the market is informative but imperfect, like the real one."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from resources.simulated.books import BOOKS

from .conftest import YEAR


@pytest.fixture(scope="module")
def lines(season):
    return season.consensus_lines()


def test_consensus_line_accuracy_and_outcome_split(lines, season):
    played = lines[~lines["dnp"]]
    error = played["pts"] - played["line"]
    assert 4.6 <= error.abs().mean() <= 5.6
    assert 0.46 <= (error > 0).mean() <= 0.51
    assert 0.47 <= (error < 0).mean() <= 0.53
    assert 0.002 <= (error == 0).mean() <= 0.03
    assert (played["pts"] - played["opening_line"]).abs().mean() > error.abs().mean()
    last5 = season.box_scores.loc[played["row"], "last5_pts"].to_numpy()
    assert np.nanmean(np.abs(played["pts"] - last5)) > error.abs().mean() + 0.2
    assert (played["line"] * 4 % 1 == 0).all() and (played["line"] % 1 == 0.5).mean() > 0.7


def test_who_gets_lines(lines, season):
    b = season.box_scores
    listed = set(lines["row"])
    rotation = np.flatnonzero((b["exp_min"] >= 28).to_numpy())
    deep_bench = np.flatnonzero(((b["exp_min"] < 10) & (b["exp_min"] > 0)).to_numpy())
    out = np.flatnonzero((b["status"] == "Out").to_numpy())
    assert np.mean([r in listed for r in rotation]) > 0.9
    assert not listed & set(deep_bench) and not listed & set(out)
    assert 6 <= len(lines) / len(season.schedule) / 2 <= 11
    assert (lines["n_books"] < len(BOOKS)).mean() > 0.2


def test_rosters_persist_with_modest_turnover(league):
    turnover, kept = [], []
    for year in (YEAR - 5, YEAR, YEAR + 5):
        end = league.universe.roster_on(year, date(year + 1, 6, 30))
        nxt = league.universe.opening(year + 1)
        everyone = {u for uids in nxt.values() for u in uids}
        for team, uids in end.items():
            turnover.append(len(set(uids) - set(nxt[team])) / len(uids))
            kept += [u in everyone for u in uids]
        ages = [league.universe.players[u].age_on(date(year + 1, 11, 1)) for uids in nxt.values() for u in uids]
        assert 19 <= min(ages) and max(ages) <= 41 and 25 <= np.mean(ages) <= 30
    assert 0.05 <= np.mean(turnover) <= 0.12
    assert np.mean(kept) >= 0.88


def test_lines_move_up_for_teammates_and_vanish_for_the_player_on_injury_news(season):
    reacting = [b for b, book in enumerate(BOOKS) if book.news]  # the soft book waits for its next board
    moves, news_count = [], 0
    for g in range(0, len(season.schedule), 3):
        market = season.markets.game(g)
        _, minutes = market.expected_at(market.tip - 30 * 3600)
        fresh = (market.known > market.tip - 14 * 3600) & (market.known < market.tip - 3600) & (minutes >= 20)
        for row in np.flatnonzero(fresh):
            news = int(market.known[row])
            before, after = market.main_lines(news - 300)[reacting], market.main_lines(news + 50 * 60)[reacting]
            assert np.isnan(after[:, row]).all(), "a player ruled out loses his lines"
            mates = (market.side == market.side[row]) & (np.arange(len(market.side)) != row)
            change = (after - before)[:, mates]
            moves += list(change[~np.isnan(change)])
            news_count += 1
    moves = np.array(moves)
    assert news_count >= 20
    assert moves.mean() > 0.2 and (moves > 0).mean() > 3 * (moves < 0).mean()
