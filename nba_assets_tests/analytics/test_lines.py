"""The line chosen from several books, with ladders, and snapshots inside the lock or after tip that must be ignored."""

import pandas as pd
import pytest

from nba_assets.analytics.lines import consensus_lines, main_lines

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


def test_main_line_of_a_ladder_is_the_most_even_pair():
    q = quotes(
        ("2025-01-20 23:00", "draftkings", "LeBron James", 22.5, -160, 125),
        ("2025-01-20 23:00", "draftkings", "LeBron James", 24.5, -112, -108),
        ("2025-01-20 23:00", "draftkings", "LeBron James", 26.5, 130, -165),
    )
    assert main_lines(q)["line"].tolist() == [24.5]


def test_a_price_that_cannot_be_bet_at_does_not_make_a_main_line():
    q = quotes(
        ("2025-01-20 23:00", "draftkings", "LeBron James", 24.5, 0, -110),
        ("2025-01-20 23:00", "draftkings", "LeBron James", 25.5, -120, -102),
    )
    assert main_lines(q)["line"].tolist() == [25.5]


def test_consensus_is_the_median_of_books_latest_pre_lock_main_lines():
    q = quotes(
        ("2025-01-20 15:00", "draftkings", "LeBron James", 23.5, -110, -110),
        ("2025-01-20 15:00", "fanduel", "LeBron James", 24.5, -110, -110),
        ("2025-01-20 15:00", "betmgm", "LeBron James", 23.5, -110, -110),
        ("2025-01-20 23:55", "draftkings", "LeBron James", 25.5, -115, -105),
        ("2025-01-20 23:55", "draftkings", "LeBron James", 27.5, 140, -175),
        ("2025-01-20 23:55", "fanduel", "LeBron James", 25.0, -110, -110),
        # inside the lock (30 minutes before tip): the closing board, not what a pick is made on
        ("2025-01-21 00:15", "fanduel", "LeBron James", 26.5, -110, -110),
        # in-game quotes after tip: ignored
        ("2025-01-21 01:00", "draftkings", "LeBron James", 12.5, -110, -110),
        ("2025-01-21 01:00", "fanduel", "LeBron James", 13.5, -110, -110),
    )
    [row] = consensus_lines(q).to_dict("records")
    # draftkings 25.5, fanduel 25.0, betmgm (latest it had) 23.5 -> median 25.0
    assert row["current_line"] == 25.0 and row["line_books"] == 3
    assert row["opening_line"] == 23.5
    assert row["line_snapshot_at_utc"] == pd.Timestamp("2025-01-20 23:55") < TIP - pd.Timedelta(minutes=30)
    assert row["player_lookup"] == "lebronjames"


def test_movement_needs_a_new_board_between_two_snapshots():
    """Two snapshots of a board its book never updated say nothing about movement; a new board does."""
    q = quotes(
        ("2025-01-20 15:00", "draftkings", "A B", 20.5, -110, -110),
        ("2025-01-20 23:45", "draftkings", "A B", 20.5, -110, -110),
        ("2025-01-20 15:00", "draftkings", "C D", 10.5, -110, -110),
        ("2025-01-20 23:45", "draftkings", "C D", 11.5, -110, -110),
        ("2025-01-20 23:45", "fanduel", "E F", 8.5, -110, -110),
    )
    q["book_updated_at_utc"] = pd.Timestamp("2025-01-20 14:00")
    lines = consensus_lines(q).set_index("player_name")
    assert lines["line_movement"].isna().all()  # one board of each book, seen twice or once
    later = q["snapshot_at_utc"] == pd.Timestamp("2025-01-20 23:45")
    q.loc[later & (q["bookmaker"] == "draftkings"), "book_updated_at_utc"] = pd.Timestamp("2025-01-20 23:00")
    lines = consensus_lines(q).set_index("player_name")
    assert lines.loc["A B", "line_movement"] == 0.0 and lines.loc["C D", "line_movement"] == 1.0  # observed: no move, one point
    assert pd.isna(lines.loc["E F", "line_movement"]) and lines.loc["E F", "opening_line"] == 8.5
    # without last_update the snapshot times tell the boards apart
    assert consensus_lines(q.drop(columns="book_updated_at_utc")).set_index("player_name").loc["C D", "line_movement"] == 1.0


def test_only_quotes_inside_the_lock_or_after_tip_give_no_line():
    q = quotes(("2025-01-21 00:10", "draftkings", "LeBron James", 25.5, -110, -110), ("2025-01-21 01:00", "draftkings", "LeBron James", 12.5, -110, -110))
    assert consensus_lines(q).empty


def test_two_books_give_their_exact_midpoint():
    q = quotes(("2025-01-20 15:00", "draftkings", "A B", 0.5, -110, -110), ("2025-01-20 15:00", "fanduel", "A B", 1.0, -110, -110))
    assert consensus_lines(q)["current_line"].tolist() == [pytest.approx(0.75)]
