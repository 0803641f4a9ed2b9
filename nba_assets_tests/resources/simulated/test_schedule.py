"""The schedule: 82 games per team, rest rules, off days, ET dates of late tips."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from resources.clock import ET
from resources.simulated.schedule import off_days
from resources.teams import BY_TRICODE

from .conftest import YEAR


def _team_days(schedule: pd.DataFrame) -> dict[str, list[date]]:
    days: dict[str, list[date]] = {}
    for day, home, away in zip(schedule["game_date"], schedule["home"], schedule["away"]):
        days.setdefault(home, []).append(day)
        days.setdefault(away, []).append(day)
    return {team: sorted(d) for team, d in days.items()}


@pytest.mark.parametrize("year", [2016, YEAR, 2033])
def test_every_team_plays_82_games_41_at_home_and_never_twice_a_day(league, year):
    schedule = league.schedule(year)
    assert len(schedule) == 1230
    assert set(Counter(schedule["home"]).values()) == {41}
    assert set(Counter(schedule["away"]).values()) == {41}
    for team, days in _team_days(schedule).items():
        assert len(days) == 82, team
        assert len(set(days)) == 82, f"{team} plays twice on one day"


@pytest.mark.parametrize("year", [2016, YEAR, 2033])
def test_back_to_backs_exist_but_never_three_days_in_a_row(league, year):
    back_to_backs = []
    for team, days in _team_days(league.schedule(year)).items():
        gaps = np.diff([d.toordinal() for d in days])
        assert not np.any((gaps[:-1] == 1) & (gaps[1:] == 1)), f"{team} plays three days in a row"
        back_to_backs.append(int((gaps == 1).sum()))
    assert min(back_to_backs) >= 8 and max(back_to_backs) <= 18
    assert 12 <= np.mean(back_to_backs) <= 16


def test_matchup_counts_follow_divisions_and_conferences(league):
    pairs = Counter(frozenset(p) for p in zip(league.schedule(YEAR)["home"], league.schedule(YEAR)["away"]))
    for pair, n in pairs.items():
        a, b = (BY_TRICODE[t] for t in pair)
        if a.conference != b.conference:
            assert n == 2
        elif a.division == b.division:
            assert n == 4
        else:
            assert n in (3, 4)
    assert len(pairs) == 30 * 29 // 2


def test_season_calendar_and_off_days(league):
    schedule = league.schedule(YEAR)
    first, last = schedule["game_date"].iat[0], schedule["game_date"].iat[-1]
    assert date(YEAR, 10, 19) <= first <= date(YEAR, 10, 25) and first.weekday() == 1
    assert date(YEAR + 1, 4, 9) <= last <= date(YEAR + 1, 4, 18)
    per_day = Counter(schedule["game_date"])
    assert min(per_day.values()) >= 2 and max(per_day.values()) <= 14
    assert not set(per_day) & off_days(YEAR)
    assert date(YEAR, 12, 24) not in per_day and date(YEAR, 12, 25) in per_day
    break_days = sorted(d for d in off_days(YEAR) if d.month == 2)
    assert len(break_days) == 6 and break_days[2].weekday() == 6


def test_season_of_covers_exactly_the_regular_season(league):
    schedule = league.schedule(YEAR)
    first, last = schedule["game_date"].iat[0], schedule["game_date"].iat[-1]
    assert league.season_of(first) == YEAR and league.season_of(last) == YEAR
    assert league.season_of(date(YEAR + 1, 1, 20)) == YEAR
    assert league.season_of(first - timedelta(days=1)) is None
    assert league.season_of(last + timedelta(days=1)) is None
    assert league.season_of(date(YEAR + 1, 7, 4)) is None


def test_no_games_or_box_scores_off_season(bdl):
    for day in ("2025-07-04", "2025-05-20", "2024-10-01"):
        assert bdl.get("/v1/games", params={"dates[]": day}).json()["data"] == []
        assert bdl.get("/v1/box_scores", params={"date": day}).json()["data"] == []


def test_tips_are_evening_et_with_some_weekend_afternoons(league):
    schedule = league.schedule(YEAR)
    local = [t.astimezone(ET) for t in schedule["tip_utc"]]
    evening = [t for t in local if 19 <= t.hour + t.minute / 60 <= 22.5]
    assert len(evening) / len(local) > 0.85
    afternoon = [t for t in local if t.hour < 18]
    assert afternoon and all(t.weekday() >= 5 or (t.month, t.day) == (12, 25) for t in afternoon)


def test_late_tip_belongs_to_its_et_date_not_the_utc_date(league, bdl, at, season):
    schedule = season.schedule
    late = schedule[[t.astimezone(ET).hour >= 22 for t in schedule["tip_utc"]]].iloc[0]
    tip = late["tip_utc"].to_pydatetime()
    assert tip.astimezone(ET).date() == late["game_date"]
    assert tip.date() == late["game_date"] + timedelta(days=1)
    at(tip - timedelta(hours=3))
    day = late["game_date"].isoformat()
    games = bdl.get("/v1/games", params={"dates[]": day, "per_page": 100}).json()["data"]
    game = next(g for g in games if g["id"] == late["bdl_game_id"])
    assert game["date"] == day
    assert game["datetime"] == tip.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    utc_day = bdl.get("/v1/games", params={"dates[]": tip.date().isoformat(), "per_page": 100}).json()["data"]
    assert late["bdl_game_id"] not in {g["id"] for g in utc_day}


def test_schedules_differ_by_year_and_seed(league):
    from resources.simulated.schedule import build_schedule
    a = build_schedule(1, YEAR)
    assert not a["game_date"].equals(league.schedule(YEAR)["game_date"])
    assert a["home"].tolist() != league.schedule(YEAR)["home"].tolist()
    assert build_schedule(1, YEAR).equals(a)
    assert str(a["tip_utc"].dt.tz) == "UTC"
