"""Each feature-store and context check fails on a deliberately broken partition and passes on a good one."""

import pandas as pd
import pytest

from nba_assets.analytics.checks import age_problems, game_rows_problems, rate_problems, roster_problems
from nba_assets.features.build import build_features
from nba_assets.features.checks import rest_advantages, leakage_mismatches, range_violations, required_defaulted, required_problems, variation_problems

DAY = pd.Timestamp("2024-11-20")


@pytest.fixture(scope="module")
def tables(pipeline_slice):
    names = ["feature_store", "player_game_summary", "team_game_summary", "upcoming_team_game_context", "upcoming_player_game_context"]
    return {name: pipeline_slice.table(name) for name in names}


def test_every_check_passed_on_the_simulated_league(pipeline_slice):
    evaluations = [e.event_specific_data for r in pipeline_slice.results for e in r.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    failed = [(e.asset_key.to_user_string(), e.check_name) for e in evaluations if not e.passed]
    assert all(r.success for r in pipeline_slice.results) and not failed
    assert len({e.check_name for e in evaluations}) >= 25


def test_leakage_check_catches_a_window_that_includes_the_game(tables):
    features, history = tables["feature_store"], tables["player_game_summary"]
    assert leakage_mismatches(features, history, sample=60).empty
    context = tables["upcoming_player_game_context"]
    context = context[context["game_date"] == DAY]
    teams = tables["upcoming_team_game_context"]
    # the predecessor's bug: windows over game_date <= D (emulated by asking for features one day later)
    leaky = build_features(context.assign(game_date=DAY + pd.Timedelta(days=1)), teams.assign(game_date=teams["game_date"] + pd.Timedelta(days=1)),
                           history, tables["team_game_summary"]).assign(game_date=DAY)
    found = leakage_mismatches(leaky, history, sample=60)
    assert len(found) > 0 and set(found["feature"]) >= {"points_avg_last_5"}


def test_variation_check_catches_a_constant_feature(tables):
    features, teams = tables["feature_store"], tables["upcoming_team_game_context"]
    start = tables["player_game_summary"]["game_date"].min()
    assert variation_problems(features, teams, start).empty
    day = features[features["game_date"] == DAY]
    assert teams.loc[teams["game_date"] == DAY, "back_to_back"].any()  # the schedule has a team on a back-to-back
    broken = day.assign(back_to_back=0.0)
    assert "back_to_back" in set(variation_problems(broken, teams, start)["feature"])
    broken = day.assign(player_age=27.0)
    assert "player_age" in set(variation_problems(broken, teams, start)["feature"])


def test_range_and_required_checks(tables):
    features = tables["feature_store"]
    assert range_violations(features).empty and not required_problems(features)
    broken = features.copy()
    broken.loc[broken.index[:3], "player_age"] = 12.0
    broken.loc[broken.index[3], "team_win_pct"] = float("nan")
    assert set(range_violations(broken)["feature"]) == {"player_age", "team_win_pct"}
    defaulted = features.assign(defaulted_features="player_age")
    assert required_defaulted(defaulted)["player_age"] == 1.0 and "player_age (box_score_fallback)" in required_problems(defaulted)


def test_age_check_catches_missing_ages(tables):
    context = tables["upcoming_player_game_context"]
    assert age_problems(context)["low_coverage"] == [] and age_problems(context)["out_of_range"] == 0
    broken = context.copy()
    on_day = broken.index[broken["game_date"] == DAY]
    broken.loc[on_day[: len(on_day) // 5 + 1], "player_age"] = float("nan")
    assert age_problems(broken)["low_coverage"] == ["2024-11-20"]  # backfilled date: below its 85% floor
    day_of = context.assign(roster_source="day_of_roster")
    day_of.loc[on_day[: len(on_day) // 10 + 1], "player_age"] = float("nan")
    assert age_problems(day_of)["low_coverage"] == ["2024-11-20"]  # a day-of roster must reach 95%


def test_roster_check_reports_the_fallback_and_catches_a_missing_team(tables):
    context, teams = tables["upcoming_player_game_context"], tables["upcoming_team_game_context"]
    bad, fallback, unknown = roster_problems(context, teams)
    assert bad.empty and unknown.empty and len(fallback) == len(teams)  # a backfill: every team used the box-score fallback
    day_of = context.assign(roster_source="day_of_roster")
    first_team = day_of.loc[day_of["game_date"] == DAY, "team_abbr"].iloc[0]
    missing_team = day_of[~((day_of["game_date"] == DAY) & (day_of["team_abbr"] == first_team))]
    bad, _, unknown = roster_problems(missing_team, teams)
    assert bad.empty and unknown[["game_date", "team_abbr"]].values.tolist() == [[DAY, first_team]]
    second_team = day_of.loc[(day_of["game_date"] == DAY) & (day_of["team_abbr"] != first_team), "team_abbr"].iloc[0]
    short = day_of[~((day_of["game_date"] == DAY) & (day_of["team_abbr"] == second_team)) | (day_of.groupby(["game_date", "team_abbr"]).cumcount() < 5)]
    bad, _, _ = roster_problems(short, teams)
    assert bad[["team_abbr", "size"]].values.tolist() == [[second_team, 5]]  # a day-of roster of 5 players


def test_game_and_rate_checks(tables):
    teams, players = tables["team_game_summary"], tables["player_game_summary"]
    assert game_rows_problems(teams).empty and rate_problems(players).empty
    assert len(game_rows_problems(teams.iloc[1:])) == 1
    assert len(game_rows_problems(teams.assign(game_id=teams["game_id"].str.replace("_", "-")))) > 0
    assert len(rate_problems(players.assign(usage_rate=players["usage_rate"] * 100))) > 0


def test_the_market_decides_how_much_the_line_features_can_vary(tables):
    """No line on a date (the API had none), or pick'em boards that never moved, are the market's
    doing; a line repeated for every player, or the same non-zero move for all, is a placeholder."""
    features, teams = tables["feature_store"], tables["upcoming_team_game_context"]
    start = tables["player_game_summary"]["game_date"].min()
    day = features[features["game_date"] == DAY]
    lined = day["has_vegas_line"] == 1
    assert lined.sum() >= 10

    def problems(slate):
        return set(variation_problems(slate, teams, start)["feature"])

    no_lines = day.assign(has_vegas_line=0.0, defaulted_features=day["defaulted_features"].fillna("") + ",vegas_points_line,vegas_opening_line,vegas_line_move")
    assert problems(no_lines) == set()
    quiet = day.assign(vegas_line_move=0.0)
    assert "vegas_line_move" not in problems(quiet)
    assert "vegas_line_move" in problems(day.assign(vegas_line_move=1.5))
    placeholder = day.copy()
    placeholder.loc[lined, "vegas_points_line"] = 20.0
    assert "vegas_points_line" in problems(placeholder)


def test_rest_advantage_is_held_to_vary_only_over_teams_whose_rest_is_known(tables):
    """The second date of a fresh warehouse: only teams that played the day before have a known rest,
    all equal, so a constant rest advantage there is the schedule's doing."""
    features, teams = tables["feature_store"], tables["upcoming_team_game_context"]
    start = tables["player_game_summary"]["game_date"].min()
    day, slate_teams = features[features["game_date"] == DAY], teams[teams["game_date"] == DAY].copy()
    game = slate_teams["game_id"].iloc[0]
    slate_teams["days_rest"] = slate_teams["days_rest"].where(slate_teams["game_id"] == game)
    slate_teams.loc[slate_teams["game_id"] == game, "days_rest"] = 1
    known = day["game_id"] == game
    fresh = day.assign(rest_advantage=0.0, defaulted_features=day["defaulted_features"].fillna("").where(known, "rest_advantage"))
    assert "rest_advantage" not in set(variation_problems(fresh, slate_teams, start)["feature"])
    assert rest_advantages(teams[teams["game_date"] == DAY]).nunique() > 1  # the real schedule of the day varies
    frozen = day.assign(rest_advantage=0.0)
    assert "rest_advantage" in set(variation_problems(frozen, teams[teams["game_date"] == DAY], start)["feature"])


def test_a_one_game_slate_may_share_the_two_teams_situation(tables):
    """A Finals game between teams of the same record, both on two days' rest, nobody out: true of
    the real 2025 playoffs. Over a slate of several games the same constants are a frozen feature."""
    features, teams = tables["feature_store"], tables["upcoming_team_game_context"]
    start = tables["player_game_summary"]["game_date"].min() - pd.Timedelta(days=400)  # a mature history: every feature held
    day = features[features["game_date"] == DAY]
    same = {"team_win_pct": 0.6, "days_rest": 2.0, "teammates_out_minutes": 0.0}
    game = day["game_id"].value_counts().index[0]
    one_game = day[day["game_id"] == game]
    padded = pd.concat([one_game] * (20 // len(one_game) + 1), ignore_index=True)  # a slate of 20+ rows
    assert padded["game_id"].nunique() == 1 and len(padded) >= 20
    assert not set(same) & set(variation_problems(padded.assign(**same), teams, start)["feature"])
    assert set(same) <= set(variation_problems(day.assign(**same), teams, start)["feature"])
