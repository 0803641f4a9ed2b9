"""The first date ever stored, each asset in its own run as a backfill daemon launches them: a window
of earlier dates whose table does not exist yet is no history, not an error; a same-day input still is."""

from dagster import AssetSelection, DagsterInstance

from nba_assets_tests.conftest import materialize_range, step_error

FIRST = "2024-10-22"


def test_history_tables_that_do_not_exist_yet_read_as_no_history(platform, monkeypatch):
    from nba_assets.definitions import build_defs

    monkeypatch.setenv("NBA_CLOCK", "2024-10-24T12:00:00-04:00")
    defs = build_defs()
    everything = [*defs.assets, *defs.asset_checks]
    instance = DagsterInstance.ephemeral()
    raw = AssetSelection.groups("raw") - AssetSelection.assets("live_box_scores")
    assert materialize_range(everything, raw, FIRST, FIRST, defs.resources, instance).success

    # team_game_summary has never been materialised: its table does not exist.
    result = materialize_range(everything, AssetSelection.assets("upcoming_team_game_context"), FIRST, FIRST, defs.resources, instance)
    assert result.success
    context = platform.table("upcoming_team_game_context")
    assert len(context) > 0 and context["days_rest"].isna().all()

    # A same-day input is not history: reading it before it exists still fails, naming the table.
    failed = materialize_range(everything, AssetSelection.assets("feature_store"), FIRST, FIRST, defs.resources, instance)
    assert not failed.success and "table nba.upcoming_player_game_context does not exist yet" in step_error(failed)


def test_the_first_model_week_trains_on_nothing_before_any_feature_exists(platform, monkeypatch):
    from nba_assets.definitions import build_defs

    monkeypatch.setenv("NBA_CLOCK", "2024-10-24T12:00:00-04:00")
    defs = build_defs()
    result = platform.materialize([*defs.assets], "2024-10-21", selection=["points_model"])
    [materialization] = result.asset_materializations_for_node("points_model")
    assert materialization.metadata["cold_start"].value is True and materialization.metadata["used"].value is False
