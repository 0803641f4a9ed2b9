"""The grading table, and the grading checks on broken inputs."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.grading.checks import leak_alarms, voided_with_result
from nba_assets.grading.grade import grade, ungraded_games
from nba_assets.grading.performance import performance

DAY = pd.Timestamp("2025-01-20")


def prediction(player, recommendation, line, predicted=20.0, status=None, at="2025-01-20 16:00", system="catboost", price=-110, stake=1.0, offer_line=None):
    picked = recommendation in ("OVER", "UNDER")
    return {"game_date": DAY, "game_id": "g", "player_lookup": player, "system_id": system, "model_version": "v", "predicted_points": predicted,
            "line": line, "edge": predicted - line if line == line else np.nan, "recommendation": recommendation, "side": recommendation if picked else None,
            "book": "draftkings" if picked else None, "offer_line": (line if offer_line is None else offer_line) if picked else np.nan,
            "price": price if picked else None, "probability": 0.6, "fair_probability": 0.5, "ev": 0.05, "stake_units": stake if picked else 0.0,
            "p_over": 0.55, "market_p_over": 0.5, "injury_status": status, "predicted_at_utc": pd.Timestamp(at)}


@pytest.fixture
def graded():
    predictions = pd.DataFrame([
        prediction("win_over", "OVER", 20.5), prediction("loss_over", "OVER", 20.5), prediction("win_under", "UNDER", 20.5),
        prediction("push", "OVER", 20.0), prediction("dnp", "OVER", 20.5, status="Questionable"), prediction("absent", "UNDER", 20.5),
        prediction("pass", "PASS", 20.5), prediction("noline", "NO_LINE", np.nan),
        prediction("superseded", "UNDER", 24.5, at="2025-01-20 14:00"), prediction("superseded", "OVER", 19.5, at="2025-01-20 18:00"),
    ])
    games = pd.DataFrame([{"game_id": "g", "player_lookup": p, "points": pts, "minutes": m} for p, pts, m in [
        ("win_over", 25, 30.0), ("loss_over", 18, 30.0), ("win_under", 12, 30.0), ("push", 20, 30.0), ("dnp", 0, 0.0),
        ("pass", 30, 30.0), ("noline", 10, 20.0), ("superseded", 22, 30.0)]])
    return grade(predictions, games).set_index("player_lookup")


def test_grading_table(graded):
    assert graded.loc["win_over", "result"] == "win" and bool(graded.loc["win_over", "prediction_correct"])
    assert graded.loc["loss_over", "result"] == "loss" and not bool(graded.loc["loss_over", "prediction_correct"])
    assert graded.loc["win_under", "result"] == "win"
    assert graded.loc["push", "result"] == "push" and pd.isna(graded.loc["push", "prediction_correct"])  # whole-number line
    assert bool(graded.loc["dnp", "is_voided"]) and graded.loc["dnp", "void_reason"] == "did not play (Questionable before the game)"
    assert pd.isna(graded.loc["dnp", "result"]) and pd.isna(graded.loc["dnp", "absolute_error"])
    assert bool(graded.loc["absent", "is_voided"]) and graded.loc["absent", "void_reason"] == "not in the box score"
    assert pd.isna(graded.loc["pass", "result"]) and graded.loc["pass", "absolute_error"] == 10.0
    assert pd.isna(graded.loc["noline", "result"]) and graded.loc["noline", "absolute_error"] == 10.0
    # only the latest prediction is graded: OVER 19.5 made at 18:00, not UNDER 24.5 made at 14:00
    assert graded.loc["superseded", "recommendation"] == "OVER" and graded.loc["superseded", "line"] == 19.5
    assert graded.loc["superseded", "result"] == "win" and (graded.index == "superseded").sum() == 1
    assert voided_with_result(graded.reset_index()).empty


def test_every_pick_is_settled_at_its_price_and_stake(graded):
    assert graded.loc["win_over", "pick_return"] == pytest.approx(100 / 110) and graded.loc["win_over", "units"] == pytest.approx(100 / 110)
    assert graded.loc["loss_over", "pick_return"] == -1.0 and graded.loc["loss_over", "units"] == -1.0
    assert graded.loc["push", "pick_return"] == 0.0 and graded.loc["push", "units"] == 0.0  # a push returns the stake
    assert pd.isna(graded.loc["dnp", "pick_return"]) and graded.loc["dnp", "units"] == 0.0  # a void returns it too
    assert pd.isna(graded.loc["pass", "units"]) and pd.isna(graded.loc["pass", "pick_return"])
    record = performance(graded.reset_index(), DAY)
    overall = record[(record["period"] == "7d") & (record["segment_type"] == "overall")].iloc[0]
    returns = [100 / 110, -1.0, 100 / 110, 0.0, 100 / 110]  # win_over, loss_over, win_under, push, superseded
    assert overall["roi"] == pytest.approx(np.mean(returns)) and overall["units"] == pytest.approx(sum(returns)) and overall["staked_units"] == 5.0
    assert overall["roi_low"] < overall["roi"] < overall["roi_high"]


def test_a_pick_is_graded_at_its_offer_line_not_the_consensus():
    predictions = pd.DataFrame([prediction("shopped", "OVER", 21.5, offer_line=19.5, price=+120, stake=0.5)])
    games = pd.DataFrame([{"game_id": "g", "player_lookup": "shopped", "points": 20, "minutes": 30.0}])
    [row] = grade(predictions, games).to_dict("records")
    assert row["result"] == "win" and row["units"] == pytest.approx(0.5 * 1.2) and row["line_absolute_error"] == 1.5


def test_log_loss_of_the_system_and_the_market_on_the_same_rows(graded):
    played = graded[graded["actual_points"].notna() & graded["line"].notna() & (graded["actual_points"] != graded["line"])]
    over = (played["actual_points"] > played["line"]).astype(float)
    assert played["log_loss"].tolist() == pytest.approx((-(over * np.log(0.55) + (1 - over) * np.log(0.45))).tolist())
    assert played["market_log_loss"].tolist() == pytest.approx([np.log(2)] * len(played))
    assert pd.isna(graded.loc["push", "log_loss"]) and pd.isna(graded.loc["dnp", "log_loss"])  # a push and a DNP are not scored


def test_a_game_without_a_box_score_is_not_graded():
    """A pick of a game whose box score never came is neither voided nor decided: it is left out."""
    predictions = pd.DataFrame([prediction("a", "OVER", 20.5), {**prediction("b", "UNDER", 10.5), "game_id": "no_box_score"}])
    games = pd.DataFrame([{"game_id": "g", "player_lookup": "a", "points": 25, "minutes": 30.0}])
    graded = grade(predictions, games)
    assert graded["player_lookup"].tolist() == ["a"] and graded["result"].tolist() == ["win"]
    assert ungraded_games(predictions, games) == ["no_box_score"]


def test_voided_rows_with_a_result_fail_the_check(graded):
    broken = graded.reset_index()
    broken.loc[broken["player_lookup"] == "dnp", "result"] = "loss"
    assert len(voided_with_result(broken)) == 1


def test_record_hit_rate_mae_and_buckets(graded):
    record = performance(graded.reset_index(), DAY)
    overall = record[(record["period"] == "7d") & (record["segment_type"] == "overall")].iloc[0]
    assert (overall["wins"], overall["losses"], overall["pushes"], overall["voided"]) == (3, 1, 1, 2)
    assert overall["hit_rate"] == 0.75 and overall["picks"] == 5
    assert set(record.loc[record["segment_type"] == "edge_bucket", "segment"]) == {"|edge| < 1.5", "1.5-3", "3-5", "5+"}


def test_leak_alarm_on_a_model_that_saw_the_result():
    rng = np.random.default_rng(0)
    actual = rng.integers(0, 35, 400).astype(float)
    line = actual + rng.choice([-2.5, 2.5], 400)
    rows = pd.DataFrame([prediction(f"p{i}", "OVER" if a > l else "UNDER", l, predicted=a) for i, (a, l) in enumerate(zip(actual, line))])
    games = pd.DataFrame({"game_id": "g", "player_lookup": [f"p{i}" for i in range(400)], "points": actual, "minutes": 30.0})
    leaked = performance(grade(rows, games), DAY)  # the "model" predicted the actual points: a leaked feature
    assert len(leak_alarms(leaked)) > 0
    honest = rows.assign(recommendation=rng.choice(["OVER", "UNDER"], 400))
    assert leak_alarms(performance(grade(honest, games), DAY)).empty
