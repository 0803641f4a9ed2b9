"""Models, predictions and grades materialised through Dagster on five weeks of the simulated league."""

import json

import pandas as pd

from nba_assets.market.offers import board
from nba_assets.model.evidence import EV_THRESHOLD
from nba_assets.predictions.checks import unquoted_picks


def test_weekly_models_go_from_cold_start_to_trained(pipeline_slice):
    root = pipeline_slice.data_dir / "models" / "points_model"
    weeks = sorted(p.name for p in root.iterdir())
    assert weeks[0] == "2024-10-21" and len(weeks) == 6
    first = json.loads((root / "2024-10-21" / "metadata.json").read_text())
    last = json.loads((root / "2024-11-25" / "metadata.json").read_text())
    assert first["cold_start"] and not first["used"] and first["model_version"] == "cold-start"
    assert not last["cold_start"] and last["serves_from"] == "2024-11-25" and last["training_window"]["last_game_date"] < "2024-11-25"
    assert len(list((root / "2024-11-25").glob("model-*.cbm"))) == 1 and not list((root / "2024-10-21").glob("model-*.cbm"))


def test_predictions_grades_and_record(pipeline_slice):
    """Every system prices every lined player; a system picks on a week only if that week's model
    holds its out-of-sample record at offered prices as paying, and every prediction is graded."""
    predictions = pipeline_slice.table("predictions")
    grades = pipeline_slice.table("prediction_grades")
    record = pipeline_slice.table("system_performance")
    assert set(predictions["system_id"]) == {"market", "catboost", "moving_average", "blend"}
    assert not predictions.duplicated(["game_id", "player_lookup", "system_id"]).any()
    early = predictions[predictions["system_id"].isin(["catboost", "blend"]) & (predictions["game_date"] < pd.Timestamp("2024-11-01"))]
    assert set(early["recommendation"]) <= {"PASS", "NO_LINE"}  # cold start: no model, no blend
    root = pipeline_slice.data_dir / "models" / "points_model"
    for week in sorted(p.name for p in root.iterdir()):
        evidence = json.loads((root / week / "metadata.json").read_text())["pick_evidence"]
        days = predictions[(predictions["game_date"] >= pd.Timestamp(week)) & (predictions["game_date"] < pd.Timestamp(week) + pd.Timedelta(days=7))]
        for system, rows in days.groupby("system_id"):
            picked = rows["recommendation"].isin(["OVER", "UNDER"])
            if not evidence.get(system, {}).get("beats_the_market"):
                assert not picked.any(), (week, system)
                assert rows.loc[rows["line"].notna(), "reason"].notna().all()
            assert (rows.loc[picked, "ev"] >= EV_THRESHOLD).all() and rows.loc[picked, ["book", "offer_line", "price"]].notna().all().all()
    lined = predictions[predictions["line"].notna() & (predictions["system_id"] == "market")]
    assert len(lined) > 1000 and lined["book"].notna().mean() > 0.95  # the market prices nearly every lined player
    assert len(grades) == len(predictions) and grades["is_voided"].any()
    assert grades.loc[~grades["is_voided"] & grades["predicted_points"].notna(), "absolute_error"].notna().all()
    assert grades.loc[grades["line"].notna() & ~grades["is_voided"] & (grades["system_id"] == "market"), "market_log_loss"].notna().mean() > 0.95
    season = record[(record["game_date"] == record["game_date"].max()) & (record["period"] == "season") & (record["segment_type"] == "overall")]
    assert set(season["system_id"]) == {"market", "catboost", "moving_average", "blend"} and (season["played"] > 1000).all()


def test_a_system_that_earned_its_picks_publishes_them_and_they_are_graded(paying_slice, pipeline_slice):
    predictions, grades, record = paying_slice["predictions"], paying_slice["grades"], paying_slice["record"]
    picks = predictions[predictions["recommendation"].isin(["OVER", "UNDER"])]
    assert len(picks) > 100 and (picks["ev"] >= EV_THRESHOLD).all() and (picks["stake_units"] > 0).all()
    assert unquoted_picks(picks, pipeline_slice.table("raw_player_props"), pipeline_slice.table("player_registry")).empty  # real quotes, every one
    assert set(picks["book"]) <= set(board(paying_slice["offers"], "decision")["bookmaker"])
    assert len(grades) == len(predictions) and grades.loc[grades["is_voided"], "result"].isna().all()
    decided = grades[grades["result"].isin(["win", "loss", "push"])]
    assert len(decided) > 100 and (decided["recommendation"].isin(["OVER", "UNDER"])).all()
    season = record[(record["period"] == "season") & (record["segment_type"] == "overall")]
    picked = season[season["picks"] > 0]
    assert picked["picks"].sum() > 100 and picked["hit_rate"].between(0.35, 0.8).all()
    assert (picked["hit_rate_low"] < picked["hit_rate"]).all() and (picked["hit_rate"] < picked["hit_rate_high"]).all()
    assert (picked["roi_low"] < picked["roi"]).all() and (picked["roi"] < picked["roi_high"]).all() and picked["staked_units"].gt(0).all()
    settled = grades[grades["pick_return"].notna()]
    assert (settled["units"] == settled["stake_units"] * settled["pick_return"]).all()
    assert grades["clv_prob_market"].notna().any()  # some books posted a board after the lock


def test_performance_shows_a_plot_in_the_ui(pipeline_slice):
    events = [e for r in pipeline_slice.results for e in r.get_asset_materialization_events()
              if e.asset_key.to_user_string() == "system_performance"]
    metadata = events[-1].event_specific_data.materialization.metadata
    assert metadata["plot"].value.startswith("![hit rate by edge bucket and calibration](data:image/png;base64,")
    assert metadata["units_and_clv"].value.startswith("![cumulative units and closing-line value per system](data:image/png;base64,")
    assert "hit_rate" in metadata["season_by_edge_bucket"].value
