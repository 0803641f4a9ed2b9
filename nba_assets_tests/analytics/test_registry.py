"""Registry matching: accents, suffixes, initials, nicknames; real ESPN and balldontlie samples; the simulated league."""

import pandas as pd

from nba_assets.analytics.checks import registry_problems
from nba_assets.analytics.names import resolve_names
from nba_assets.analytics.registry import build_registry, espn_players
from nba_assets.keys import player_lookup
from nba_assets.raw.box_scores import player_rows
from nba_assets.raw.rosters import parse_roster


def candidates(*rows):
    return pd.DataFrame([{"name": n, "player_lookup": player_lookup(n), "game": g} for n, g in rows])


def test_name_variants_resolve_to_the_known_player():
    known = candidates(("Nikola Jokic", "g1"), ("Jamal Murray", "g1"), ("Jaren Jackson Jr.", "g2"), ("Herbert Jones", "g2"),
                       ("Jalen Smith", "g3"), ("P.J. Washington", "g3"), ("Tim Hardaway Jr.", "g3"))
    names = pd.DataFrame({"name": ["Nikola Jokić", "Jaren Jackson", "Herb Jones", "PJ Washington", "Tim Hardaway", "Nobody Known"],
                          "game": ["g1", "g2", "g2", "g3", "g3", "g1"]})
    out = resolve_names(names, known, "game").set_index("name")
    assert out.loc["Nikola Jokić", ["player_lookup", "match_method"]].tolist() == ["nikolajokic", "exact"]
    assert out.loc["Jaren Jackson", ["player_lookup", "match_method"]].tolist() == ["jarenjacksonjr", "suffix"]
    assert out.loc["Tim Hardaway", "player_lookup"] == "timhardawayjr"
    assert out.loc["Herb Jones", ["player_lookup", "match_method"]].tolist() == ["herbertjones", "first_initial"]
    assert out.loc["PJ Washington", "match_method"] == "exact"
    assert out.loc["Nobody Known", "match_method"] == "unresolved" and pd.isna(out.loc["Nobody Known", "player_lookup"])


def test_a_matched_player_is_not_matched_twice_by_a_looser_rule():
    known = candidates(("Jalen Smith", "g1"))
    names = pd.DataFrame({"name": ["Jalen Smith", "John Smith"], "game": ["g1", "g1"]})
    out = resolve_names(names, known, "game").set_index("name")
    assert out.loc["Jalen Smith", "match_method"] == "exact" and out.loc["John Smith", "match_method"] == "unresolved"


def test_names_resolve_only_among_their_own_game():
    known = candidates(("Herbert Jones", "g2"))
    out = resolve_names(pd.DataFrame({"name": ["Herb Jones"], "game": ["g9"]}), known, "game")
    assert out["match_method"].tolist() == ["unresolved"]


def test_with_no_candidate_at_all_every_name_stays_unresolved():
    """A fresh warehouse out of season: ESPN rosters, but no box score has named anyone yet."""
    out = resolve_names(pd.DataFrame({"name": ["LeBron James"], "team_abbr": ["LAL"]}), pd.DataFrame(columns=["name", "player_lookup", "team_abbr"]), "team_abbr")
    assert out["match_method"].tolist() == ["unresolved"] and out["player_lookup"].isna().all()


def test_real_espn_roster_resolves_against_real_balldontlie_box_scores(contract):
    box_body = contract("bdl__box_scores__raw_2026-01-09.json")
    roster = pd.DataFrame(parse_roster(contract("espn__roster_api__raw_BOS.json"), pd.Timestamp("2026-01-09").date(), pd.Timestamp("2026-01-09 15:00"), "day_of"))
    rows = [r for g in box_body["data"] for r in player_rows(g, pd.Timestamp("2026-01-09").date(), str(g["id"]), "g", pd.Timestamp("2026-01-10"))]
    known = pd.DataFrame(rows)[["team_abbr", "player_name"]].assign(player_lookup=lambda f: f["player_name"].map(player_lookup))
    resolved = espn_players(roster, known)
    bos_bdl = set(known.loc[known["team_abbr"] == "BOS", "player_lookup"])
    matched = resolved[resolved["player_lookup"].isin(bos_bdl)]
    # every ESPN athlete who also played for BOS in the balldontlie sample resolves to that player
    both = {player_lookup(n) for n in roster["player_name"]} & bos_bdl
    assert both and set(matched["player_lookup"]) == both
    assert set(resolved.loc[~resolved["player_lookup"].isin(bos_bdl), "match_method"]) <= {"espn_only", "exact"}


def test_registry_on_the_simulated_league_resolves_box_scores_and_odds_names(pipeline_slice):
    registry = pipeline_slice.table("player_registry")
    shares = registry.groupby("source")["player_lookup"].apply(lambda k: k.notna().mean())
    assert shares["balldontlie"] >= 0.99 and shares["odds"] >= 0.98 and shares["espn"] == 1.0
    assert {"exact", "suffix"} <= set(registry.loc[registry["source"] == "odds", "match_method"])
    # every balldontlie player of the box scores has exactly one key
    assert registry[registry["source"] == "balldontlie"].groupby("source_id")["player_lookup"].nunique().max() == 1


def test_aliases_and_near_spellings_resolve():
    known = candidates(("Nah'Shon Hyland", "g1"), ("Dennis Schröder", "g1"), ("Jaden Ivey", "g2"), ("Jalen Duren", "g2"))
    names = pd.DataFrame({"name": ["Bones Hyland", "Dennis Schroeder", "Jayden Ivy", "Jalen Durant"], "game": ["g1", "g1", "g2", "g2"]})
    out = resolve_names(names, known, "game").set_index("name")
    assert out.loc["Bones Hyland", ["player_lookup", "match_method"]].tolist() == ["nahshonhyland", "alias"]
    assert out.loc["Dennis Schroeder", ["player_lookup", "match_method"]].tolist() == ["dennisschroder", "similar"]
    assert out.loc["Jayden Ivy", "match_method"] == "similar"
    assert out.loc["Jalen Durant", "match_method"] == "unresolved"  # two letters off a different last name: no guess


def odds_registry(box_names, odds_names):
    box = pd.DataFrame([{"game_date": pd.Timestamp("2025-01-20"), "bdl_player_id": i, "player_name": n, "team_abbr": "LAL"} for i, n in enumerate(box_names)])
    empty = lambda cols: pd.DataFrame(columns=cols)  # noqa: E731
    props = pd.DataFrame([{"game_date": pd.Timestamp("2025-01-20"), "game_id": "20250120_BOS_LAL", "player_name": n} for n in odds_names])
    registry = build_registry(box, box, empty(["game_date", "scraped_at_utc", "espn_athlete_id", "player_name", "team_abbr", "date_of_birth"]),
                              empty(["game_date", "bdl_player_id", "player_name", "team_abbr"]), props)
    return registry[registry["source"] == "odds"].set_index("source_name")


def test_a_player_new_to_every_other_source_keeps_his_own_key_and_an_ambiguous_name_stays_unresolved():
    odds = odds_registry(["LeBron James", "Anthony Davis"], ["LeBron James", "Bronny James Jr.", "Dalton Knecht"])
    assert odds.loc["LeBron James", "player_lookup"] == "lebronjames"
    # "Dalton Knecht": no known player of the game is called Knecht or anything close: a rookie before his first box score
    assert odds.loc["Dalton Knecht", ["player_lookup", "match_method"]].tolist() == ["daltonknecht", "odds_only"]
    # "Bronny James Jr.": LeBron James is claimed already, so nobody unclaimed shares the name: new to the feeds too
    assert odds.loc["Bronny James Jr.", "match_method"] == "odds_only"
    odds = odds_registry(["LeBron James", "Anthony Davis"], ["Bronny James Jr.", "Mystery Davies"])
    # with LeBron unclaimed, "Bronny James Jr." could be him under another first name; "Mystery Davies" could be Davis
    assert odds["match_method"].tolist() == ["unresolved", "unresolved"] and odds["player_lookup"].isna().all()


def test_registry_check_fails_on_unresolved_names_and_on_a_source_missing_players():
    day = pd.Timestamp("2025-01-20")
    rows = lambda method, n: [{"game_date": day, "source": "odds", "player_lookup": None if method == "unresolved" else "x", "match_method": method}] * n  # noqa: E731
    good = pd.DataFrame(rows("exact", 95) + rows("odds_only", 4) + rows("unresolved", 1))
    assert registry_problems(good) == {}
    assert "odds 97.0% resolved" in registry_problems(pd.DataFrame(rows("exact", 97) + rows("unresolved", 3)))["2025-01-20"]
    # a two-game play-in slate without box scores: one two-way player the feeds lack is one name, two are a problem
    assert registry_problems(pd.DataFrame(rows("exact", 35) + rows("unresolved", 1))) == {}
    assert "odds 94.4% resolved" in registry_problems(pd.DataFrame(rows("exact", 34) + rows("unresolved", 2)))["2025-01-20"]
    # a box-score feed that lost players turns real players into names known only to the odds
    assert "30.0% of odds names known to no other source" in registry_problems(pd.DataFrame(rows("exact", 70) + rows("odds_only", 30)))["2025-01-20"]
