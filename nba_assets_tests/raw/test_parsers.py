"""The raw parsers on the project's own fixtures and on the recorded real responses."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from nba_assets.raw.box_scores import parse_box_scores, parse_minutes, player_rows
from nba_assets.raw.common import ContractViolation
from nba_assets.raw.games import parse_games
from nba_assets.raw.injuries import parse_injuries
from nba_assets.raw.odds import parse_events, parse_props
from nba_assets.raw.rosters import parse_roster, parse_roster_record
from nba_assets_tests.conftest import fixture_json
from resources.landing import LandedRecord

DAY = date(2025, 1, 20)
SCRAPED = pd.Timestamp("2025-01-21T09:00:00")


def record(payload, fetched_at="2025-01-21T09:00:00+00:00"):
    return LandedRecord(Path("fixture.json.gz"), {"fetched_at": fetched_at, "payload": payload})


def test_games_late_tip_keeps_the_et_date_and_all_pages():
    frame = parse_games(fixture_json("bdl_games_2025-01-20.json"), DAY, SCRAPED)
    assert list(frame["game_id"]) == ["20250120_BOS_LAL", "20250120_DEN_GSW"]
    late = frame.iloc[1]
    assert late.tip_time_utc == pd.Timestamp("2025-01-21 03:30") and late.game_date == pd.Timestamp("2025-01-20")
    assert late.is_final and late.period == 5


def test_games_from_another_date_are_a_contract_error():
    pages = fixture_json("bdl_games_2025-01-20.json")
    pages[0]["data"][0]["date"] = "2025-01-21"
    with pytest.raises(ContractViolation, match="game 15908: field 'date' is 2025-01-21"):
        parse_games(pages, DAY, SCRAPED)


@pytest.mark.parametrize("text,minutes", [("36", 36.0), ("31:30", 31.5), ("00", 0.0), ("0", 0.0), ("", 0.0), (None, 0.0), ("7:06", 7.1)])
def test_minutes(text, minutes):
    assert parse_minutes(text, "x") == pytest.approx(minutes)


def test_minutes_garbage_names_the_field():
    with pytest.raises(ContractViolation, match="field 'min'"):
        parse_minutes("thirty", "box score 1 home_team.players[0]")


def test_box_scores_rows_dnps_and_sides():
    frame, waiting = parse_box_scores(fixture_json("bdl_box_scores_2025-01-20.json"), DAY, "2025-01-20", SCRAPED)
    assert waiting == []
    assert len(frame) == 5 and frame["game_id"].unique().tolist() == ["20250120_BOS_LAL"]
    lebron = frame[frame.bdl_player_id == 237].iloc[0]
    assert (lebron.team_abbr, lebron.opponent_abbr, bool(lebron.home), lebron.pts, lebron.minutes) == ("LAL", "BOS", True, 27, 36.0)
    dnps = frame[frame.minutes == 0]
    assert set(dnps["player_name"]) == {"Bronny James Jr.", "Kristaps Porzingis"} and (dnps["pts"] == 0).all()


def test_box_scores_refuse_a_date_that_is_not_final():
    from dagster import Failure

    payload = fixture_json("bdl_box_scores_2025-01-20.json")
    payload["box_scores"][0]["data"][0]["status"] = "4th Qtr"
    with pytest.raises(Failure, match="not final yet"):
        parse_box_scores(payload, DAY, "2025-01-20", SCRAPED)
    payload["box_scores"][0]["data"] = []
    with pytest.raises(Failure, match="20250120_BOS_LAL: no box score yet"):
        parse_box_scores(payload, DAY, "2025-01-20", SCRAPED)


def test_box_scores_give_up_on_a_game_that_never_becomes_final():
    """Past the grace period, the final games are stored and the one without a box score is returned to be flagged."""
    payload = fixture_json("bdl_box_scores_2025-01-20.json")
    missing = dict(payload["games"][0]["data"][0], id=999, home_team={"abbreviation": "NYK"}, visitor_team={"abbreviation": "MIA"})
    payload["games"][0]["data"].append(missing)
    frame, waiting = parse_box_scores(payload, DAY, "2025-01-20", SCRAPED, give_up=True)
    assert waiting == ["20250120_MIA_NYK: no box score yet"]
    assert frame["game_id"].unique().tolist() == ["20250120_BOS_LAL"] and len(frame) == 5
    payload["box_scores"][0]["data"] = []
    frame, waiting = parse_box_scores(payload, DAY, "2025-01-20", SCRAPED, give_up=True)
    assert frame.empty and len(waiting) == 2


def test_box_scores_missing_points_names_game_player_and_field():
    payload = fixture_json("bdl_box_scores_2025-01-20.json")
    del payload["box_scores"][0]["data"][0]["home_team"]["players"][1]["player"]["id"]
    with pytest.raises(ContractViolation, match=r"box score 20250120_BOS_LAL home_team.players\[1\]: field 'id' is missing"):
        parse_box_scores(payload, DAY, "2025-01-20", SCRAPED)


def test_real_box_scores_parse(contract):
    body = contract("bdl__box_scores__raw_2026-01-09.json")
    day = date(2026, 1, 9)
    rows = [r for g in body["data"] for r in player_rows(g, day, f"g{g['id']}", f"box score {g['id']}", SCRAPED)]
    frame = pd.DataFrame(rows)
    assert len(frame) == sum(len(g[s]["players"]) for g in body["data"] for s in ("home_team", "visitor_team"))
    assert (frame.loc[frame["min"] == "00", "minutes"] == 0).all() and frame["minutes"].max() > 30
    brown = frame[frame.player_name == "Jaylen Brown"].iloc[0]
    assert (brown.team_abbr, brown.pts, brown.bdl_player_id) == ("BOS", 25, 70)
    assert (frame["pts"] == 2 * frame["fgm"] + frame["fg3m"] + frame["ftm"]).all()


def test_espn_roster_maps_team_codes_and_birth_dates():
    rows = parse_roster(fixture_json("espn_roster_GS.json"), DAY, SCRAPED, "day_of")
    frame = pd.DataFrame(rows)
    assert set(frame["team_abbr"]) == {"GSW"} and set(frame["espn_team_id"]) == {9}
    saric = frame[frame.espn_athlete_id == "4066261"].iloc[0]
    assert saric.player_name == "Dario Šarić" and saric.date_of_birth == pd.Timestamp("1994-04-08") and saric.injury_status == "Day-To-Day"


def test_real_espn_roster(contract):
    frame = pd.DataFrame(parse_roster(contract("espn__roster_api__raw_BOS.json"), DAY, SCRAPED, "day_of"))
    assert len(frame) == 17 and set(frame["team_abbr"]) == {"BOS"}
    assert frame["date_of_birth"].notna().all()
    assert frame.set_index("player_name").loc["Jaylen Brown", "date_of_birth"] == pd.Timestamp("1996-10-24")


def test_roster_record_knows_a_later_scrape_from_a_day_of_one():
    payload = {"9": fixture_json("espn_roster_GS.json")}
    assert set(parse_roster_record(record(payload, "2025-01-20T15:00:00+00:00"), DAY)["snapshot_kind"]) == {"day_of"}
    assert set(parse_roster_record(record(payload, "2025-03-02T15:00:00+00:00"), DAY)["snapshot_kind"]) == {"later_scrape"}
    # 00:30 ET on Jan 21 is still Jan 20 in UTC: the ET date decides.
    assert set(parse_roster_record(record(payload, "2025-01-21T05:30:00+00:00"), DAY)["snapshot_kind"]) == {"later_scrape"}


def test_real_injury_report(contract):
    body = contract("bdl__injuries__raw.json")
    frame = parse_injuries(record([body]), DAY)
    assert len(frame) == len(body["data"]) and set(frame["status"]) <= {"Out", "Day-To-Day"}
    assert frame["bdl_player_id"].notna().all() and frame["team_abbr"].notna().mean() > 0.9


def test_events_keep_the_day_only_and_map_team_names():
    frame, elsewhere = parse_events([record(fixture_json("odds_historical_events_2025-01-20.json"))], DAY)
    assert list(frame["game_id"]) == ["20250120_BOS_LAL", "20250120_DEN_GSW"] and elsewhere == 1
    assert frame["listed_at_utc"].iloc[0] == pd.Timestamp("2025-01-20 15:00")


def test_real_historical_events(contract):
    body = contract("oddsapi__historical_events__raw_2025-03-09.json")
    frame, _ = parse_events([record(body)], date(2025, 3, 9))
    assert len(frame) >= 5 and frame["game_id"].str.match(r"^20250309_[A-Z]{3}_[A-Z]{3}$").all()
    assert "20250309_SAC_LAC" in set(frame["game_id"])


def test_props_keep_every_quote_of_player_points_only():
    rows = parse_props(record(fixture_json("odds_historical_event_odds_2025-01-20.json")), DAY)
    frame = pd.DataFrame(rows)
    assert len(frame) == 8 and set(frame["side"]) == {"Over", "Under"}
    lebron_dk = frame[(frame.player_name == "LeBron James") & (frame.bookmaker == "draftkings")]
    assert sorted(lebron_dk["line"].unique()) == [22.5, 24.5]
    assert frame["snapshot_at_utc"].unique().tolist() == [pd.Timestamp("2025-01-21 00:15")]
    assert frame["tip_time_utc"].unique().tolist() == [pd.Timestamp("2025-01-21 00:30")]
    assert 27.0 in set(frame["line"]) and frame["is_historical"].all()


def test_synthetic_current_odds_shape(contract):
    body = contract("oddsapi__event_odds_player_props__SYNTHETIC_fixture.json")
    rows = parse_props(record(body, "2025-01-20T18:30:00+00:00"), date(2025, 1, 20))
    assert rows and {r["player_name"] for r in rows} >= {"LeBron James"} and not any(r["is_historical"] for r in rows)


def test_odds_outcome_without_point_names_the_field():
    body = fixture_json("odds_historical_event_odds_2025-01-20.json")
    del body["data"]["bookmakers"][1]["markets"][0]["outcomes"][0]["point"]
    with pytest.raises(ContractViolation, match=r"bookmakers\[1\] player_points outcomes\[0\]: field 'point' is missing"):
        parse_props(record(body), DAY)


def test_an_outcome_without_a_price_is_kept_as_missing_for_the_offers_to_refuse():
    body = fixture_json("odds_historical_event_odds_2025-01-20.json")
    outcome = body["data"]["bookmakers"][1]["markets"][0]["outcomes"][0]
    del outcome["price"]
    body["data"]["bookmakers"][1]["markets"][0]["outcomes"][1]["price"] = 0
    rows = parse_props(record(body), DAY)
    assert len(rows) == 8 and [r["price"] for r in rows].count(None) == 1 and 0 in [r["price"] for r in rows]
    outcome["price"] = "minus one-ten"
    with pytest.raises(ContractViolation, match=r"outcomes\[0\]: field 'price' should be a whole number"):
        parse_props(record(body), DAY)
