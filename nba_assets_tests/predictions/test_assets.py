"""Models, predictions and grades materialised through Dagster on five weeks of the simulated league."""

import json

import pandas as pd

from nba_assets.picks import BREAK_EVEN


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
    """Five weeks of the simulated league are too few for either system to show an out-of-sample edge
    over the line: every lined prediction says so and none is picked, yet every one is graded."""
    predictions = pipeline_slice.table("predictions")
    grades = pipeline_slice.table("prediction_grades")
    record = pipeline_slice.table("system_performance")
    assert set(predictions["system_id"]) == {"catboost", "moving_average"}
    assert not predictions.duplicated(["game_id", "player_lookup", "system_id"]).any()
    early = predictions[(predictions["system_id"] == "catboost") & (predictions["game_date"] < pd.Timestamp("2024-11-01"))]
    assert set(early["recommendation"]) <= {"PASS", "NO_LINE"}  # cold start: only the baseline may recommend
    lined = predictions[predictions["line"].notna() & (predictions["game_date"] >= pd.Timestamp("2024-11-01"))]
    assert len(lined) > 1000 and not lined["recommendation"].isin(["OVER", "UNDER"]).any()
    assert lined.loc[lined["system_id"] == "moving_average", "reason"].str.startswith("no edge: moving_average's out-of-sample picks hit").all()
    assert len(grades) == len(predictions) and grades["is_voided"].any() and grades["result"].isna().all()
    assert grades.loc[~grades["is_voided"] & grades["predicted_points"].notna(), "absolute_error"].notna().all()
    season = record[(record["game_date"] == record["game_date"].max()) & (record["period"] == "season") & (record["segment_type"] == "overall")]
    assert set(season["system_id"]) == {"catboost", "moving_average"} and season["picks"].sum() == 0 and (season["played"] > 1000).all()


def test_a_system_that_earned_its_picks_publishes_them_and_they_are_graded(paying_slice):
    predictions, grades, record = paying_slice["predictions"], paying_slice["grades"], paying_slice["record"]
    picks = predictions[predictions["recommendation"].isin(["OVER", "UNDER"])]
    assert len(picks) > 100 and (picks["confidence"] >= BREAK_EVEN).all() and (picks["edge"].abs() >= 1.5).all()
    assert len(grades) == len(predictions) and grades.loc[grades["is_voided"], "result"].isna().all()
    decided = grades[grades["result"].isin(["win", "loss", "push"])]
    assert len(decided) > 100 and (decided["recommendation"].isin(["OVER", "UNDER"])).all()
    season = record[(record["period"] == "season") & (record["segment_type"] == "overall")]
    picked = season[season["picks"] > 0]
    assert picked["picks"].sum() > 100 and picked["hit_rate"].between(0.35, 0.8).all()
    assert (picked["hit_rate_low"] < picked["hit_rate"]).all() and (picked["hit_rate"] < picked["hit_rate_high"]).all()


def test_performance_shows_a_plot_in_the_ui(pipeline_slice):
    events = [e for r in pipeline_slice.results for e in r.get_asset_materialization_events()
              if e.asset_key.to_user_string() == "system_performance"]
    metadata = events[-1].event_specific_data.materialization.metadata
    assert metadata["plot"].value.startswith("![hit rate by edge bucket and calibration](data:image/png;base64,")
    assert "hit_rate" in metadata["season_by_edge_bucket"].value
