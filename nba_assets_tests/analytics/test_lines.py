"""The line chosen from several books, with ladders, and a snapshot after tip that must be ignored."""

import pandas as pd
import pytest

from nba_assets.analytics.lines import consensus_lines, implied_probability, main_lines

TIP = pd.Timestamp("2025-01-21 00:30")


def quotes(*rows):
    return pd.DataFrame(
        [
            {"game_id": "20250120_BOS_LAL", "snapshot_at_utc": pd.Timestamp(at), "tip_time_utc": TIP, "bookmaker": book,
             "player_name": player, "side": side, "line": line, "price": price}
            for at, book, player, line, over, under in rows
            for side, price in (("Over", over), ("Under", under))
        ]
    )


def test_implied_probability():
    assert implied_probability(pd.Series([-110, 125, 100])).round(3).tolist() == [0.524, 0.444, 0.5]


def test_main_line_of_a_ladder_is_the_most_even_pair():
    q = quotes(
        ("2025-01-20 23:00", "draftkings", "LeBron James", 22.5, -160, 125),
        ("2025-01-20 23:00", "draftkings", "LeBron James", 24.5, -112, -108),
        ("2025-01-20 23:00", "draftkings", "LeBron James", 26.5, 130, -165),
    )
    assert main_lines(q)["line"].tolist() == [24.5]


def test_consensus_is_the_median_of_books_latest_pre_tip_main_lines():
    q = quotes(
        ("2025-01-20 15:00", "draftkings", "LeBron James", 23.5, -110, -110),
        ("2025-01-20 15:00", "fanduel", "LeBron James", 24.5, -110, -110),
        ("2025-01-20 15:00", "betmgm", "LeBron James", 23.5, -110, -110),
        ("2025-01-21 00:15", "draftkings", "LeBron James", 25.5, -115, -105),
        ("2025-01-21 00:15", "draftkings", "LeBron James", 27.5, 140, -175),
        ("2025-01-21 00:15", "fanduel", "LeBron James", 25.0, -110, -110),
        # in-game quotes after tip: ignored
        ("2025-01-21 01:00", "draftkings", "LeBron James", 12.5, -110, -110),
        ("2025-01-21 01:00", "fanduel", "LeBron James", 13.5, -110, -110),
    )
    [row] = consensus_lines(q).to_dict("records")
    # draftkings 25.5, fanduel 25.0, betmgm (latest it had) 23.5 -> median 25.0
    assert row["current_line"] == 25.0 and row["line_books"] == 3
    assert row["opening_line"] == 23.5
    assert row["line_snapshot_at_utc"] == pd.Timestamp("2025-01-21 00:15") < TIP
    assert row["player_lookup"] == "lebronjames"


def test_only_post_tip_quotes_give_no_line():
    q = quotes(("2025-01-21 01:00", "draftkings", "LeBron James", 12.5, -110, -110))
    assert consensus_lines(q).empty


def test_two_books_give_their_exact_midpoint():
    q = quotes(("2025-01-20 15:00", "draftkings", "A B", 0.5, -110, -110), ("2025-01-20 15:00", "fanduel", "A B", 1.0, -110, -110))
    assert consensus_lines(q)["current_line"].tolist() == [pytest.approx(0.75)]
