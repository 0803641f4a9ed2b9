"""The checks every table gets: a date whose upstream has rows never yields an empty table."""

import pandas as pd

from nba_assets.analytics.checks import dates_with_known_players
from nba_assets.quality import empty_dates

D1, D2 = pd.Timestamp("2025-04-14"), pd.Timestamp("2025-04-15")


def rows(*days, **columns):
    return pd.DataFrame({"game_date": list(days), **{k: [v] * len(days) for k, v in columns.items()}})


def test_a_table_emptied_on_a_date_its_upstream_has_rows_fails():
    upstream = rows(D1, D1, D2)
    assert empty_dates(rows(D1, D2), upstream) == []
    assert empty_dates(rows(D1), upstream) == ["2025-04-15"]  # a failed scrape is not an off day
    assert empty_dates(rows(D1).head(0), rows(D1).head(0)) == []  # an off day


def test_players_are_known_on_a_date_with_a_roster_scraped_that_day_or_a_box_score():
    games = rows(D1, D2)
    box = rows(D1)  # D2: a play-in date whose box scores never came
    later_scrape = rows(D2, snapshot_kind="later_scrape")
    assert dates_with_known_players(games, later_scrape, box) == ["2025-04-14"]  # a later scrape is no roster of that day
    assert dates_with_known_players(games, rows(D2, snapshot_kind="day_of"), box) == ["2025-04-14", "2025-04-15"]
