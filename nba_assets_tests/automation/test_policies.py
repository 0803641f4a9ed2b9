"""Freshness policies are declared; automation conditions request finished dates' results once their inputs land."""

from datetime import datetime

from dagster import AssetKey, AssetSelection, DagsterInstance, evaluate_automation_conditions, materialize

from nba_assets.automation.deadlines import data_selection
from nba_assets.automation.policies import AUTOMATION, FRESHNESS
from nba_assets.definitions import defs
from resources.clock import ET

YESTERDAY, TODAY = "2025-01-20", "2025-01-21"


def specs():
    return {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}


def test_freshness_policies_are_on_the_assets_whose_lateness_matters():
    found = {name for name, spec in specs().items() if spec.freshness_policy is not None}
    assert found == set(FRESHNESS)
    assert {"raw_espn_rosters", "raw_injuries", "raw_player_props", "predictions", "raw_box_scores", "prediction_grades", "results_export"} <= found


def test_automation_conditions_are_on_the_results_chain_and_the_model():
    found = {name for name, spec in specs().items() if spec.automation_condition is not None}
    assert found == set(AUTOMATION)
    assert "predictions" not in found  # today's slate follows the lines sensor instead


def requested(result) -> set[tuple[str, str | None]]:
    out = set()
    for r in result.results:
        if r.true_subset.size:
            key = r.key.to_user_string() if isinstance(r.key, AssetKey) else str(r.key)
            partitions = r.true_subset.get_internal_subset_value()
            keys = partitions.get_partition_keys() if hasattr(partitions, "get_partition_keys") else [None]
            out |= {(key, p) for p in keys}
    return out


def run(platform, instance, assets: tuple[str, ...], partition: str):
    from nba_assets_tests.conftest import QUIET

    everything = [*defs.assets, *defs.asset_checks]
    result = materialize(everything, selection=data_selection(*assets), partition_key=partition,
                         resources=platform.resources(), instance=instance, run_config=QUIET)
    assert result.success


def test_yesterdays_results_follow_their_inputs_once_checks_pass_and_today_waits(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-21T05:00:00-05:00")
    at = datetime(2025, 1, 21, 5, 0, tzinfo=ET)
    selection = AssetSelection.assets("player_game_summary", "team_game_summary", "prediction_grades")
    with DagsterInstance.ephemeral() as instance:
        run(platform, instance, ("raw_box_scores",), "2025-01-19")  # the days before are in the warehouse
        first = evaluate_automation_conditions(defs=defs, instance=instance, asset_selection=selection, evaluation_time=at)
        run(platform, instance, ("raw_games", "raw_espn_rosters", "raw_injuries", "raw_odds_events", "raw_player_props", "player_registry"), YESTERDAY)
        second = evaluate_automation_conditions(defs=defs, instance=instance, asset_selection=selection, evaluation_time=at, cursor=first.cursor)
        assert not requested(second)  # the box scores are still missing
        run(platform, instance, ("raw_box_scores",), YESTERDAY)
        third = evaluate_automation_conditions(defs=defs, instance=instance, asset_selection=selection, evaluation_time=at, cursor=second.cursor)
        asked = requested(third)
        assert ("player_game_summary", YESTERDAY) in asked
        assert not any(partition == TODAY for _, partition in asked)  # today's results cannot exist yet
        assert ("prediction_grades", YESTERDAY) not in asked  # its predictions never landed
        fourth = evaluate_automation_conditions(defs=defs, instance=instance, asset_selection=selection, evaluation_time=at, cursor=third.cursor)
        assert ("player_game_summary", YESTERDAY) not in requested(fourth)  # handled: not asked twice
