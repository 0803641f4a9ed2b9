"""The recommendation table, and the prediction checks on broken inputs."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.model.artifact import PointsModel
from nba_assets.predictions.checks import prediction_problems, sentinel_lines, untraceable_lines
from nba_assets.picks import NO_LINE, OVER, PASS, UNDER
from nba_assets.predictions.recommend import predict_slate, recommend

FLAT = {"intercept": 0.0, "slope": 0.3, "rows": 1000}
PAYS = {"picks": 400, "wins": 230, "losses": 170, "hit_rate": 0.575, "interval": [0.526, 0.622], "beats_the_line": True}
COIN_FLIP = {"picks": 400, "wins": 200, "losses": 200, "hit_rate": 0.5, "interval": [0.451, 0.549], "beats_the_line": False}


def cold_model(evidence=PAYS):
    return PointsModel(metadata={"cold_start": True, "used": False, "model_version": "cold-start", "reason": "cold start: too little history",
                                 "feature_contract_version": "v1", "feature_names": [], "calibration": {"moving_average": FLAT},
                                 "pick_evidence": {"moving_average": evidence}}, model=None)


def slate(**rows):
    base = {"game_date": pd.Timestamp("2025-01-20"), "game_id": "20250120_BOS_LAL", "team_abbr": "LAL", "opponent_abbr": "BOS",
            "points_avg_last_5": 20.0, "points_avg_last_10": 20.0, "points_avg_season": 20.0, "defaulted_features": "", "has_vegas_line": 1.0}
    return pd.DataFrame([{**base, "player_lookup": name, **values} for name, values in rows.items()])


@pytest.mark.parametrize(
    "edge,line,blocked,expected",
    [(2.0, 20.5, None, OVER), (1.5, 20.5, None, OVER), (-1.5, 20.5, None, UNDER), (-3.0, 20.5, None, UNDER), (1.49, 20.5, None, PASS),
     (0.0, 20.0, None, PASS), (5.0, np.nan, None, NO_LINE), (5.0, 20.5, "ruled out", PASS)],
)
def test_recommendation_table(edge, line, blocked, expected):
    recommendation, reason = recommend(pd.Series([edge]), pd.Series([line]), 1.5, pd.Series([blocked], dtype="object"))
    assert recommendation.iloc[0] == expected
    if blocked:
        assert reason.iloc[0] == blocked


def test_slate_rows_for_both_systems_ruled_out_players_and_cold_start():
    features = slate(
        over={"vegas_points_line": 16.5},
        under={"vegas_points_line": 24.5},
        close={"vegas_points_line": 19.5},
        noline={"vegas_points_line": 20.0, "has_vegas_line": 0.0},
        hurt={"vegas_points_line": 16.5},
    )
    injury = pd.Series([None, None, None, None, "Out"])
    out = predict_slate(features, injury, cold_model(), 1.5, pd.Timestamp("2025-01-20 16:00"))
    base = out[out["system_id"] == "moving_average"].set_index("player_lookup")
    assert base.loc["over", "recommendation"] == OVER and base.loc["over", "edge"] == 3.5
    assert base.loc["under", "recommendation"] == UNDER and base.loc["close", "recommendation"] == PASS
    assert base.loc["noline", "recommendation"] == NO_LINE and pd.isna(base.loc["noline", "line"])
    assert base.loc["hurt", "recommendation"] == PASS and base.loc["hurt", "reason"] == "ruled out"
    assert 0.5 < base.loc["over", "confidence"] <= 1 and 0.5 < base.loc["under", "confidence"] <= 1
    catboost = out[out["system_id"] == "catboost"]
    assert set(catboost["recommendation"]) <= {PASS, NO_LINE} and catboost["predicted_points"].isna().all()
    assert (catboost.loc[catboost["recommendation"] == PASS, "reason"] == "cold start: too little history").all()
    assert len(out) == 10 and not out.duplicated(["game_id", "player_lookup", "system_id"]).any()


def test_plausibility_check_catches_inflated_predictions():
    rng = np.random.default_rng(1)
    good = pd.DataFrame({"game_date": pd.Timestamp("2025-01-20"), "system_id": "catboost", "predicted_points": rng.uniform(2, 30, 200), "clamped": False})
    good["line"] = good["predicted_points"] + rng.normal(0, 2, 200)
    good["edge"] = good["predicted_points"] - good["line"]
    good["recommendation"] = np.where(good["edge"] >= 1.5, OVER, np.where(good["edge"] <= -1.5, UNDER, PASS))
    assert prediction_problems(good) == ([], [])
    def inflate(points):  # the predecessor's bug: features missing at serving time inflated every prediction
        raw = good["predicted_points"] + points
        return good.assign(predicted_points=raw.clip(0, 70), clamped=raw > 70, edge=good["edge"] + points, recommendation=OVER)

    errors, _ = prediction_problems(inflate(29))
    assert any("mean edge +29" in p and "picks recommended" in p for p in errors)
    assert any("clamped" in p for p in prediction_problems(inflate(50))[0])
    # withheld as the rule says: a warning, not an error
    errors, warnings = prediction_problems(inflate(2.5).assign(recommendation=PASS))
    assert errors == [] and any("mean edge +2." in w and "withheld" in w for w in warnings)


def test_a_system_biased_against_the_whole_market_is_withheld_for_the_day():
    """Every baseline prediction 4 points under its line (stale form at a season's start): no UNDER on every player."""
    features = slate(**{f"p{i}": {"vegas_points_line": 24.0 + (i % 5) * 0.5} for i in range(25)})
    out = predict_slate(features, pd.Series([None] * 25), cold_model(), 1.5, pd.Timestamp("2025-01-20 16:00"))
    base = out[out["system_id"] == "moving_average"]
    assert base["edge"].mean() < -4 and (base["recommendation"] == PASS).all()
    assert base["reason"].str.startswith("withheld: moving_average disagrees with the whole market today (mean edge -5.00").all()
    few = predict_slate(slate(**{f"p{i}": {"vegas_points_line": 25.0} for i in range(5)}), pd.Series([None] * 5), cold_model(), 1.5, pd.Timestamp("2025-01-20 16:00"))
    assert (few.loc[few["system_id"] == "moving_average", "recommendation"] == UNDER).all()  # five lines are no market-wide verdict


def test_line_checks_catch_a_placeholder_line():
    tip = pd.Timestamp("2025-01-21 00:30")
    props = pd.DataFrame([{"game_id": "g", "snapshot_at_utc": tip - pd.Timedelta(hours=1), "tip_time_utc": tip, "bookmaker": "dk", "player_name": f"Player {i}",
                           "side": side, "line": 10.5 + i, "price": -110} for i in range(50) for side in ("Over", "Under")])
    registry = pd.DataFrame({"source": "odds", "game_id": "g", "source_name": [f"Player {i}" for i in range(50)], "player_lookup": [f"player{i}" for i in range(50)]})
    predictions = pd.DataFrame({"game_date": pd.Timestamp("2025-01-20"), "game_id": "g", "player_lookup": [f"player{i}" for i in range(50)], "line": [10.5 + i for i in range(50)]})
    assert untraceable_lines(predictions, props, registry).empty and sentinel_lines(predictions).empty
    placeholder = predictions.assign(line=20.0)
    assert len(untraceable_lines(placeholder, props, registry)) == 50  # no book quoted 20.0 for anyone
    assert sentinel_lines(placeholder)["line"].tolist() == [20.0]
    after_tip = props.assign(snapshot_at_utc=tip + pd.Timedelta(minutes=5))
    assert len(untraceable_lines(predictions, after_tip, registry)) == 50  # a line seen only after tip traces to nothing


def test_a_system_whose_out_of_sample_picks_do_not_beat_the_line_publishes_none():
    features = slate(over={"vegas_points_line": 16.5}, under={"vegas_points_line": 24.5})
    out = predict_slate(features, pd.Series([None, None]), cold_model(COIN_FLIP), 1.5, pd.Timestamp("2025-01-20 16:00"))
    base = out[out["system_id"] == "moving_average"]
    assert (base["recommendation"] == PASS).all() and base["edge"].abs().min() >= 3.5
    assert base["reason"].str.startswith("no edge: moving_average's out-of-sample picks hit 50.0% of 400 (95% interval 45.1%-54.9%)").all()
    legacy = predict_slate(features, pd.Series([None, None]), cold_model(None), 1.5, pd.Timestamp("2025-01-20 16:00"))
    assert (legacy.loc[legacy["system_id"] == "moving_average", "recommendation"] == PASS).all()  # no record kept: no picks


def test_a_pick_must_clear_the_break_even_of_minus_110():
    features = slate(close={"vegas_points_line": 18.0})  # edge +2.0 at the moving average of 20
    weak = {**FLAT, "slope": 0.04}  # P(over) = sigmoid(0.08) = 52.0%: under the break-even
    model = cold_model()
    model.metadata["calibration"]["moving_average"] = weak
    row = predict_slate(features, pd.Series([None]), model, 1.5, pd.Timestamp("2025-01-20 16:00")).query("system_id == 'moving_average'").iloc[0]
    assert row["recommendation"] == PASS and row["confidence"] == pytest.approx(0.52, abs=0.001) and "break-even" in row["reason"]
