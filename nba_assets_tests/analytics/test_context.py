"""Pre-game context: rest and back-to-backs across midnight ET, age on birthdays, rosters, injuries, lines."""

import pandas as pd
import pytest

from nba_assets.analytics.context import DAY_OF, FALLBACK, age_on, upcoming_player_context, upcoming_team_context

D = pd.Timestamp("2025-01-20")


def games(*rows):
    return pd.DataFrame([{"game_date": pd.Timestamp(d), "game_id": f"{pd.Timestamp(d):%Y%m%d}_{a}_{h}", "tip_time_utc": pd.Timestamp(t),
                          "home_team_abbr": h, "away_team_abbr": a} for d, a, h, t in rows])


def team_history(*rows):
    return pd.DataFrame([{"game_date": pd.Timestamp(d), "team_abbr": t, "season": s, "win": w} for d, t, s, w in rows])


def test_team_rest_back_to_back_across_midnight_and_record():
    slate = games(("2025-01-20", "BOS", "LAL", "2025-01-21 00:30"))
    history = team_history(
        ("2024-04-10", "LAL", 2023, True),  # last season: not in this season's record
        ("2025-01-13", "LAL", 2024, True),
        ("2025-01-15", "LAL", 2024, False),
        ("2025-01-19", "LAL", 2024, True),  # tipped 22:30 ET on Jan 19 (03:30 UTC Jan 20): still the day before
        ("2025-01-17", "BOS", 2024, False),
    )
    ctx = upcoming_team_context(slate, history).set_index("team_abbr")
    assert ctx.loc["LAL", "days_rest"] == 1 and bool(ctx.loc["LAL", "back_to_back"])
    assert ctx.loc["BOS", "days_rest"] == 3 and not bool(ctx.loc["BOS", "back_to_back"])
    assert ctx.loc["LAL", "games_in_last_7_days"] == 3  # Jan 13, 15, 19 are within Jan 13..19
    assert (ctx.loc["LAL", "wins"], ctx.loc["LAL", "losses"]) == (2, 1) and ctx.loc["LAL", "win_pct"] == pytest.approx(2 / 3)
    assert (ctx.loc["BOS", "wins"], ctx.loc["BOS", "losses"]) == (0, 1)
    assert bool(ctx.loc["LAL", "home"]) and ctx.loc["LAL", "opponent_abbr"] == "BOS"


def test_a_game_on_the_date_itself_never_counts():
    slate = games(("2025-01-20", "BOS", "LAL", "2025-01-21 00:30"))
    history = team_history(("2025-01-20", "LAL", 2024, True), ("2025-01-18", "LAL", 2024, False))
    ctx = upcoming_team_context(slate, history).set_index("team_abbr")
    assert ctx.loc["LAL", "days_rest"] == 2 and ctx.loc["LAL", "wins"] == 0


def test_age_the_day_before_of_and_after_a_birthday():
    birth = pd.Series(pd.to_datetime(["2000-01-20"] * 3 + ["2000-02-29"] * 2))
    days = pd.Series(pd.to_datetime(["2025-01-19", "2025-01-20", "2025-01-21", "2025-02-28", "2025-03-01"]))
    ages = age_on(days, birth)
    assert ages[0] < 25 and ages[0] > 24.99
    assert ages[1] == 25.0
    assert 25.0 < ages[2] < 25.01
    assert ages[3] == 25.0  # a Feb 29 birthday is celebrated on Feb 28 in common years
    assert age_on(pd.Series([D]), pd.Series([pd.NaT])).isna().all()


@pytest.fixture
def slate():
    teams = upcoming_team_context(games(("2025-01-20", "BOS", "LAL", "2025-01-21 00:30")), team_history(("2025-01-18", "LAL", 2024, True)))
    registry = pd.DataFrame([
        {"source": "espn", "source_id": "e1", "source_name": "LeBron James", "player_lookup": "lebronjames", "date_of_birth": pd.Timestamp("1984-12-30"), "game_id": None},
        {"source": "espn", "source_id": "e2", "source_name": "Dāvis Bertāns", "player_lookup": "davisbertans", "date_of_birth": pd.Timestamp("1992-11-12"), "game_id": None},
        {"source": "balldontlie", "source_id": "10", "source_name": "Jayson Tatum", "player_lookup": "jaysontatum", "date_of_birth": pd.NaT, "game_id": None},
        {"source": "balldontlie", "source_id": "11", "source_name": "LeBron James", "player_lookup": "lebronjames", "date_of_birth": pd.NaT, "game_id": None},
        {"source": "odds", "source_id": "LeBron James", "source_name": "LeBron James", "player_lookup": "lebronjames", "date_of_birth": pd.NaT, "game_id": "20250120_BOS_LAL"},
    ])
    rosters = pd.DataFrame([
        {"game_date": D, "scraped_at_utc": pd.Timestamp("2025-01-20 15:00"), "snapshot_kind": "day_of", "team_abbr": "LAL", "espn_athlete_id": "e1", "player_name": "LeBron James", "injury_status": None},
        {"game_date": D, "scraped_at_utc": pd.Timestamp("2025-01-20 15:00"), "snapshot_kind": "day_of", "team_abbr": "LAL", "espn_athlete_id": "e2", "player_name": "Dāvis Bertāns", "injury_status": "Out"},
    ])
    box = pd.DataFrame([{"game_date": D, "team_abbr": "BOS", "bdl_player_id": 10, "player_name": "Jayson Tatum"},
                        {"game_date": D, "team_abbr": "LAL", "bdl_player_id": 11, "player_name": "LeBron James"}])
    injuries = pd.DataFrame([
        {"game_date": D, "scraped_at_utc": pd.Timestamp("2025-01-20 14:00"), "bdl_player_id": 10, "status": "Day-To-Day"},
        {"game_date": D, "scraped_at_utc": pd.Timestamp("2025-01-21 02:00"), "bdl_player_id": 10, "status": "Out"},  # after tip: unknown at tip
    ])
    tip = pd.Timestamp("2025-01-21 00:30")
    props = pd.DataFrame([
        {"game_id": "20250120_BOS_LAL", "snapshot_at_utc": pd.Timestamp(t), "tip_time_utc": tip, "bookmaker": b, "player_name": "LeBron James", "side": side, "line": line, "price": -110}
        for t, b, line in (("2025-01-20 15:00", "dk", 23.5), ("2025-01-20 23:45", "dk", 24.5), ("2025-01-20 23:45", "fd", 25.5), ("2025-01-21 00:15", "fd", 27.5),
                           ("2025-01-21 01:00", "dk", 12.5))
        for side in ("Over", "Under")
    ])
    history = pd.DataFrame([
        {"game_date": pd.Timestamp("2025-01-18"), "player_lookup": "lebronjames", "team_abbr": "LAL", "minutes": 35.0},
        {"game_date": pd.Timestamp("2025-01-19"), "player_lookup": "jaysontatum", "team_abbr": "BOS", "minutes": 0.0},
        {"game_date": pd.Timestamp("2025-01-16"), "player_lookup": "jaysontatum", "team_abbr": "BOS", "minutes": 38.0},
        {"game_date": pd.Timestamp("2025-01-10"), "player_lookup": "jaysontatum", "team_abbr": "BOS", "minutes": 36.0},
    ])
    return upcoming_player_context(teams, rosters, box, registry, injuries, props, history).set_index("player_lookup")


def test_rosters_day_of_and_box_score_fallback(slate):
    assert slate.loc["lebronjames", "roster_source"] == DAY_OF and slate.loc["davisbertans", "roster_source"] == DAY_OF
    # BOS had no roster scraped that day: its players come from the day's box score
    assert slate.loc["jaysontatum", "roster_source"] == FALLBACK
    assert "lebronjames" in slate.index and len(slate) == 3


def test_player_rest_recent_load_and_age(slate):
    lebron, tatum = slate.loc["lebronjames"], slate.loc["jaysontatum"]
    assert lebron.days_rest == 2 and not lebron.back_to_back and lebron.games_in_last_7_days == 1 and lebron.minutes_in_last_7_days == 35
    # a DNP the day before is not a back-to-back; rest counts from the last game he played
    assert tatum.days_rest == 4 and not tatum.back_to_back and tatum.games_in_last_7_days == 1
    assert 40.0 < lebron.player_age < 40.1 and pd.isna(tatum.player_age)


def test_injury_status_known_before_tip(slate):
    assert slate.loc["jaysontatum", "injury_status"] == "Day-To-Day"  # the 02:00 UTC "Out" came after tip
    assert slate.loc["davisbertans", "injury_status"] == "Out"  # from the ESPN roster used
    assert pd.isna(slate.loc["lebronjames", "injury_status"])


def test_lines_from_snapshots_before_the_lock_only(slate):
    lebron = slate.loc["lebronjames"]
    # current: dk 24.5 and fd 25.5 at their last snapshot before the lock (fd's 27.5 inside it is the close); opening: dk 23.5 and fd 25.5 at their first
    assert lebron.current_line == 25.0 and lebron.opening_line == 24.5 and lebron.line_movement == 0.5 and lebron.line_books == 2
    assert lebron.line_snapshot_at_utc < lebron.tip_time_utc - pd.Timedelta(minutes=30)
    assert pd.isna(slate.loc["jaysontatum", "current_line"])
