"""Training: walk-forward, deterministic, honest about a cold start, refusing a foreign feature vector."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.features.contract import FEATURE_CONTRACT, FeatureContract
from nba_assets.model.artifact import ContractMismatch, PointsModel
from nba_assets.model.checks import contract_problem, determinism_result, retrained_for_determinism, use_problem
from nba_assets.model.training import MIN_TRAIN_ROWS, split_by_date, train_points_model
from nba_assets_tests.model.conftest import synthetic_rows

SERVES_FROM = pd.Timestamp("2024-12-20").date()


@pytest.fixture(scope="module")
def model(rows, offers):
    return train_points_model(rows, SERVES_FROM, offers)


def test_trains_on_rows_strictly_before_the_period(model, rows):
    meta = model.metadata
    assert not model.cold_start and meta["training_window"]["last_game_date"] == "2024-12-15"  # 45 days from Nov 1
    assert meta["rows"]["train"] + meta["rows"]["validation"] == len(rows[rows["game_date"] < pd.Timestamp(SERVES_FROM)])
    assert meta["validation"]["window"]["first_game_date"] > meta["training_window"]["first_game_date"]
    assert meta["feature_names"] == list(FEATURE_CONTRACT.names) and meta["feature_contract_version"] == FEATURE_CONTRACT.version
    assert set(meta["feature_importances"]) == set(FEATURE_CONTRACT.names)
    later = train_points_model(rows.assign(actual_points=np.where(rows["game_date"] >= pd.Timestamp(SERVES_FROM), 999.0, rows["actual_points"])), SERVES_FROM)
    assert later.version == model.version  # rows on or after the period never reach the model


def test_time_ordered_split(rows):
    train, valid = split_by_date(rows)
    assert train["game_date"].max() < valid["game_date"].min()
    assert valid["game_date"].nunique() == 9  # 20% of 45 dates


def test_model_beats_the_baseline_here_and_is_used(model):
    validation = model.metadata["validation"]
    assert validation["mae_model"] < validation["mae_baseline"] and model.used and use_problem(model) is None


def test_same_rows_same_model(model, rows, offers):
    again = train_points_model(rows, SERVES_FROM, offers)
    assert again.version == model.version and again.metadata["probability"] == model.metadata["probability"]
    _, valid = split_by_date(rows[rows["game_date"] < pd.Timestamp(SERVES_FROM)])
    np.testing.assert_array_equal(again.predict(valid), model.predict(valid))
    result = determinism_result(model, rows, offers, sampled=True)
    assert result.passed and result.metadata["retrained"].value and result.metadata["same_probability_curves"].value


def test_the_determinism_check_retrains_one_week_in_four_and_catches_a_changed_model(model, rows, offers):
    assert [retrained_for_determinism(pd.Timestamp(day).date()) for day in ("2024-12-02", "2024-12-09", "2024-12-16", "2024-12-23")].count(True) == 1
    skipped = determinism_result(model, rows, offers, sampled=False)
    assert skipped.passed and not skipped.metadata["retrained"].value
    other = PointsModel(metadata={**model.metadata, "validation": {**model.metadata["validation"], "predictions_sha256": "0" * 64}}, model=model.model)
    assert not determinism_result(other, rows, offers, sampled=True).passed
    curved = PointsModel(metadata={**model.metadata, "blend_weight": 0.123}, model=model.model)
    assert not determinism_result(curved, rows, offers, sampled=True).passed


def test_every_system_is_judged_at_offered_prices_and_priced_by_a_fitted_curve(model):
    meta = model.metadata
    assert set(meta["pick_evidence"]) == {"market", "catboost", "moving_average", "blend"}
    for record in meta["pick_evidence"].values():
        assert {"picks", "roi", "roi_interval", "beats_the_market"} <= set(record)
    assert meta["pick_evidence"]["market"]["picks"] == 0  # the synthetic books price every line fairly plus their vig
    assert set(meta["probability"]) == {"catboost", "moving_average"} and 0.0 <= model.blend_weight <= 1.0
    assert model.curve("catboost").rows > 0 and meta["validation"]["log_loss"]["rows"] > 0


def test_cold_start_is_flagged_and_only_the_market_and_the_baseline_may_recommend():
    small = synthetic_rows(dates=10, players=50)
    assert len(small) < MIN_TRAIN_ROWS
    cold = train_points_model(small, pd.Timestamp("2024-12-01").date())
    assert cold.cold_start and not cold.used and cold.model is None and "cold start" in cold.metadata["reason"]
    assert set(cold.metadata["pick_evidence"]) == {"market", "moving_average"} and cold.blend_weight is None
    with pytest.raises(ValueError, match="cold start"):
        cold.predict(small)


def test_feature_vector_is_served_in_the_trained_order(model, rows):
    shuffled = rows[list(reversed(rows.columns))]
    np.testing.assert_array_equal(model.predict(shuffled.head(50)), model.predict(rows.head(50)))
    assert list(model.vector(shuffled.head(3)).columns) == list(FEATURE_CONTRACT.names)


def test_contract_mismatch_refuses_to_predict(model, rows):
    reordered = FeatureContract(FEATURE_CONTRACT.version, tuple(reversed(FEATURE_CONTRACT.names)))
    with pytest.raises(ContractMismatch, match="trained on feature contract"):
        model.predict(rows.head(5), serving=reordered)
    with pytest.raises(ContractMismatch, match="lack"):
        model.predict(rows.drop(columns=["player_age"]).head(5))
    with pytest.raises(ContractMismatch, match="missing or infinite"):
        model.predict(rows.head(5).assign(player_age=np.nan))


def test_contract_check_fails_on_a_shuffled_artifact_and_passes_on_a_good_one(model):
    assert contract_problem(model) is None
    model.metadata["feature_names"] = list(reversed(model.metadata["feature_names"]))
    try:
        assert "another order" in contract_problem(model)
    finally:
        model.metadata["feature_names"] = list(FEATURE_CONTRACT.names)


def test_a_model_worse_than_the_baseline_is_not_used(model):
    validation = dict(model.metadata["validation"])
    model.metadata["validation"] = {**validation, "mae_model": validation["mae_baseline"] + 0.1}
    try:
        assert "does not beat the baseline" in use_problem(model)
    finally:
        model.metadata["validation"] = validation
