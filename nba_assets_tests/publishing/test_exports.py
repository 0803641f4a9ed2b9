"""Exports built from a real pipeline slice match their JSON Schemas and carry the offer each pick is
made at; a write that dies leaves the old file whole."""

import json
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from nba_assets.grading.performance import PERFORMANCE_COLUMNS
from nba_assets.picks import OVER, UNDER
from nba_assets.predictions.recommend import PREDICTION_COLUMNS, SYSTEMS
from nba_assets.publishing.documents import (
    HEADLINE, OFFER, PERFORMANCE_RECORD, RESULT_RECORD, best_bets_document, live_document, live_grading_document, performance_document, pick_status,
    predictions_document, results_document,
)
from nba_assets.publishing.odds_screen import odds_screen_document
from nba_assets.publishing.validate import SCHEMAS, schema_errors, validator
from resources.export_store import ExportStore

DAY = pd.Timestamp("2024-11-25")  # the first date served by a trained model
NO_EDGE_DAY = pd.Timestamp("2024-10-25")  # before any system has an out-of-sample record at offered prices
NOW = pd.Timestamp("2024-11-25 17:00", tz="UTC").to_pydatetime()


@pytest.fixture(scope="module")
def tables(pipeline_slice):
    names = ("predictions", "upcoming_player_game_context", "prediction_grades", "system_performance", "prop_offers")
    return {name: pipeline_slice.table(name) for name in names}


def picks_of(frame: pd.DataFrame, day: pd.Timestamp = DAY) -> pd.DataFrame:
    return frame[(frame["game_date"] == day) & frame["recommendation"].isin([OVER, UNDER])]


def test_documents_match_their_schemas(tables, paying_slice):
    predictions, context = paying_slice["predictions"], tables["upcoming_player_game_context"]
    documents = {
        "predictions": predictions_document(DAY, predictions, context, NOW),
        "best-bets": best_bets_document(DAY, predictions, context, NOW),
        "results": results_document(DAY, paying_slice["grades"], NOW),
        "performance": performance_document(paying_slice["record"], NOW),
        "odds-screen": odds_screen_document(DAY, paying_slice["offers"], context, NOW),
    }
    for schema, document in documents.items():
        assert schema_errors(schema, document) == [], schema
        assert list(validator(schema).iter_errors(document)) == [], schema  # the fast check and jsonschema agree: valid
        broken = json.loads(json.dumps(document))
        broken["generated_at_utc" if "generated_at_utc" in broken else "game_date"] = 20250120
        assert schema_errors(schema, broken) and list(validator(schema).iter_errors(broken)), schema  # and refused, with the reason
    assert len(documents["predictions"]["games"]) > 3 and documents["best-bets"]["bets"] and documents["best-bets"]["status"] == "picks"
    assert len(documents["odds-screen"]["games"]) == len(documents["predictions"]["games"])
    assert set(documents["results"]["systems"]) == set(SYSTEMS) and documents["results"]["picks"]
    # the slice as the assets stored it, on the day and on a date without an edge
    for day in (DAY, NO_EDGE_DAY):
        stored = {"predictions": predictions_document(day, tables["predictions"], context, NOW), "best-bets": best_bets_document(day, tables["predictions"], context, NOW),
                  "results": results_document(day, tables["prediction_grades"], NOW), "odds-screen": odds_screen_document(day, tables["prop_offers"], context, NOW)}
        assert all(schema_errors(schema, document) == [] for schema, document in stored.items()), day
    assert schema_errors("performance", performance_document(tables["system_performance"], NOW)) == []


def test_every_system_names_its_best_offer_beside_its_prediction(tables, paying_slice):
    predictions = paying_slice["predictions"]
    document = predictions_document(DAY, predictions, tables["upcoming_player_game_context"], NOW)
    entries = {(g["game_id"], p["player_lookup"]): p for g in document["games"] for p in g["players"]}
    assert all(set(p["systems"]) == set(SYSTEMS) for p in entries.values())
    assert all("confidence" not in s and set(OFFER) <= set(s) for p in entries.values() for s in p["systems"].values())
    picks = picks_of(predictions)
    assert set(picks["system_id"]) >= {"catboost", "market"}
    for row in picks.itertuples():
        entry = entries[(row.game_id, row.player_lookup)]["systems"][row.system_id]
        offer = (entry["recommendation"], entry["side"], entry["book"], entry["offer_line"], entry["price"])
        assert offer == (row.recommendation, row.side, row.book, row.offer_line, row.price) and type(entry["price"]) is int
        assert entry["ev"] == pytest.approx(row.ev) and entry["probability"] == pytest.approx(row.probability) and entry["stake_units"] > 0
    passed = predictions[(predictions["game_date"] == DAY) & (predictions["recommendation"] == "PASS") & predictions["ev"].notna()].iloc[0]
    entry = entries[(passed["game_id"], passed["player_lookup"])]["systems"][passed["system_id"]]
    assert entry["stake_units"] == 0 and entry["book"] == passed["book"] and entry["reason"] == passed["reason"]  # a pass shows the offer it passed on


def test_best_bets_name_the_offer_and_rank_by_ev(tables, paying_slice):
    predictions = paying_slice["predictions"]
    document = best_bets_document(DAY, predictions, tables["upcoming_player_game_context"], NOW)
    picking = set(picks_of(predictions)["system_id"])
    assert document["system"] == next(s for s in HEADLINE if s in picking)
    bets, rows = document["bets"], picks_of(predictions).set_index(["system_id", "game_id", "player_lookup"]).sort_index()
    headline = picks_of(predictions)
    headline = headline[(headline["system_id"] == document["system"]) & (headline["game_date"] == DAY)]
    assert len(bets) == min(15, len(headline)) > 0 and [b["ev"] for b in bets] == sorted((b["ev"] for b in bets), reverse=True)
    assert bets[0]["ev"] == pytest.approx(rows.loc[document["system"], "ev"].max())
    for bet in bets:
        row = rows.loc[(document["system"], bet["game_id"], bet["player_lookup"])]
        assert (bet["book"], bet["line"], bet["consensus_line"], bet["price"]) == (row["book"], row["offer_line"], row["line"], row["price"])
        assert type(bet["price"]) is int and bet["probability"] == pytest.approx(row["probability"]) and bet["stake_units"] == pytest.approx(row["stake_units"])
        assert bet["tier"] == ("A" if bet["ev"] >= 0.10 else "B" if bet["ev"] >= 0.06 else "C")
    assert document["tiers"] == {"A": "EV >= 10%", "B": "EV >= 6%", "C": "EV below 6%"}


def prediction_rows(rows: list[dict]) -> pd.DataFrame:
    """Prediction rows of one date: the given fields, the rest a PASS without an offer."""
    base = {"game_date": DAY, "game_id": "20241125_BOS_LAL", "team_abbr": "LAL", "opponent_abbr": "BOS", "model_version": "v", "line": 20.5,
            "predicted_points": 22.0, "edge": 1.5, "recommendation": "PASS", "reason": None, "stake_units": 0.0}
    frame = pd.DataFrame([{**base, **row} for row in rows]).reindex(columns=list(PREDICTION_COLUMNS))
    return frame.astype(PREDICTION_COLUMNS)


def pick(system: str, player: str, ev: float, probability: float, book: str = "fanduel", price: int = 120) -> dict:
    return {"system_id": system, "player_lookup": player, "recommendation": "OVER", "side": "OVER", "book": book, "offer_line": 21.5, "price": price,
            "probability": probability, "fair_probability": 0.43, "ev": ev, "stake_units": 1.0, "quote_at_utc": pd.Timestamp("2024-11-25 20:00")}


def test_the_headline_is_the_first_system_that_picks_and_its_bets_go_by_ev_then_probability():
    rows = prediction_rows([
        pick("market", "a", 0.20, 0.55), pick("catboost", "b", 0.04, 0.50), pick("catboost", "c", 0.12, 0.51, book="draftkings", price=115),
        pick("catboost", "d", 0.07, 0.52), pick("catboost", "e", 0.07, 0.58),
        {"system_id": "blend", "player_lookup": "a", "reason": "best offer's EV +1.0% is below the threshold of +3%"},
    ])
    document = best_bets_document(DAY, rows, pd.DataFrame(columns=["game_id", "player_lookup", "player_name"]), NOW)
    assert schema_errors("best-bets", document) == []
    assert document["system"] == "catboost"  # the blend does not pick; catboost comes before the market
    assert [(b["player_lookup"], b["tier"], b["book"], b["line"], b["price"]) for b in document["bets"]] == [
        ("c", "A", "draftkings", 21.5, 115), ("e", "B", "fanduel", 21.5, 120), ("d", "B", "fanduel", 21.5, 120), ("b", "C", "fanduel", 21.5, 120)]
    assert document["bets"][0]["consensus_line"] == 20.5 and document["bets"][0]["quote_at_utc"] == "2024-11-25T20:00:00"
    without_picks = best_bets_document(DAY, rows[rows["system_id"] == "blend"], pd.DataFrame(columns=["game_id", "player_lookup", "player_name"]), NOW)
    assert (without_picks["system"], without_picks["status"], without_picks["bets"]) == ("blend", "no_picks", [])
    assert set(HEADLINE) == set(SYSTEMS)


def test_a_date_without_an_edge_says_so_instead_of_publishing_picks(tables, paying_slice):
    context = tables["upcoming_player_game_context"]
    stored = best_bets_document(NO_EDGE_DAY, tables["predictions"], context, NOW)
    assert stored["status"] == "no_edge" and stored["bets"] == [] and "moving_average: no edge: moving_average" in stored["message"]
    assert "catboost: cold start" in stored["message"]
    day = paying_slice["predictions"][paying_slice["predictions"]["game_date"] == DAY]
    assert pick_status(day)[0] == "picks"
    assert pick_status(day.assign(line=float("nan"), recommendation="NO_LINE"))[0] == "no_lines"
    below = day.assign(recommendation=day["recommendation"].where(day["line"].isna(), "PASS"), reason="best offer's EV +1.0% is below the threshold of +3%")
    assert pick_status(below) == ("no_picks", "no system's best offer of any player reached its EV threshold at the offered prices")


def test_results_carry_each_picks_offer_units_and_closing_line_value(paying_slice):
    grades = paying_slice["grades"]
    document = results_document(DAY, grades, NOW)
    picks = picks_of(grades).set_index(["system_id", "game_id", "player_lookup"]).sort_index()
    assert len(picks) > 20 and len(document["picks"]) == len(picks) and {"win", "loss"} <= {e["result"] for e in document["picks"]}
    for entry in document["picks"]:
        row = picks.loc[(entry["system"], entry["game_id"], entry["player_lookup"])]
        assert (entry["book"], entry["line"], entry["consensus_line"], entry["price"]) == (row["book"], row["offer_line"], row["line"], row["price"])
        assert entry["units"] == pytest.approx(entry["stake_units"] * (entry["pick_return"] or 0.0))
        if entry["result"] == "win":
            assert entry["pick_return"] == pytest.approx((entry["price"] / 100) if entry["price"] > 0 else (100 / -entry["price"]))
    with_clv = [e for e in document["picks"] if e["clv_prob_market"] is not None]
    assert with_clv and any(e["clv_prob_book"] is not None for e in document["picks"])
    for system, record in document["systems"].items():
        mine = [e for e in document["picks"] if e["system"] == system]
        assert set(record) == set(RESULT_RECORD) and record["picks"] == len([e for e in mine if e["result"] is not None])
        assert record["units"] == pytest.approx(sum(e["units"] for e in mine))
        assert record["staked_units"] == pytest.approx(sum(e["stake_units"] for e in mine if e["pick_return"] is not None))
        settled = [e["pick_return"] for e in mine if e["pick_return"] is not None]
        assert record["roi"] == (pytest.approx(sum(settled) / len(settled)) if settled else None)
        clv = [e["clv_prob_market"] for e in mine if e["clv_prob_market"] is not None]
        assert record["clv_picks"] == len(clv) and record["clv_prob"] == (pytest.approx(sum(clv) / len(clv)) if clv else None)
        assert record["log_loss"] is not None and record["market_log_loss"] is not None


def test_the_record_export_holds_every_field_of_the_record(paying_slice):
    document = performance_document(paying_slice["record"], NOW)
    schema = json.loads((SCHEMAS / "performance.schema.json").read_text())
    record = schema["properties"]["systems"]["additionalProperties"]["additionalProperties"]["additionalProperties"]["additionalProperties"]
    assert record["required"] == list(PERFORMANCE_RECORD)
    assert set(PERFORMANCE_RECORD) == set(PERFORMANCE_COLUMNS) - {"game_date", "system_id", "period", "segment_type", "segment"}
    season = document["systems"]["market"]["season"]
    assert set(season) == {"overall", "edge_bucket", "probability_decile"}
    overall = season["overall"]["all"]
    assert overall["roi_low"] <= overall["roi"] <= overall["roi_high"] and overall["staked_units"] > 0 and overall["clv_picks"] > 0
    assert "mean_confidence" not in overall and 0 < overall["mean_probability"] < 1


def test_live_documents_match_their_schemas():
    live = pd.DataFrame([{"game_id": "20250120_BOS_LAL", "status": "3rd Qtr", "period": 3, "clock": "5:12", "home_score": 80, "away_score": 77,
                          "player_name": "LeBron James", "team_abbr": "LAL", "minutes": 28.0, "pts": 21}])
    bets = {"bets": [{"game_id": "20250120_BOS_LAL", "player_lookup": "lebronjames", "recommendation": "OVER", "line": 24.5},
                     {"game_id": "20250120_DEN_GSW", "player_lookup": "nikolajokic", "recommendation": "UNDER", "line": 27.5}]}
    grading = live_grading_document("2025-01-20", live, bets, NOW)
    assert schema_errors("live", live_document("2025-01-20", live, NOW)) == [] and schema_errors("live-grading", grading) == []
    assert [p["state"] for p in grading["picks"]] == ["in play", "not started"] and grading["picks"][0]["needed"] == 3.5


def test_a_broken_document_is_refused_with_the_field_named():
    bet = {"rank": 1, "tier": "A", "game_id": "g", "player_lookup": "p", "player_name": None, "team": "LAL", "opponent": "BOS", "recommendation": "OVER",
           "book": "fanduel", "line": 20.5, "consensus_line": 20.5, "price": 50, "quote_at_utc": None, "fair_probability": 0.5, "probability": 1.3,
           "ev": 0.1, "stake_units": 1.0, "predicted_points": 25.0, "edge": 4.5}
    errors = schema_errors("best-bets", {"game_date": "2025-01-20", "generated_at_utc": "x", "system": "blend", "status": "picks", "message": "1 picks", "tiers": {},
                                          "bets": [bet]})
    assert [e.split(":")[0] for e in errors] == ["bets/0/price", "bets/0/probability"]  # 50 is no American price; a probability above 1
    assert errors[1] == "bets/0/probability: 1.3 is greater than the maximum of 1"
    old_style = {**bet, "price": -110, "probability": 0.6, "confidence": 0.6}
    assert schema_errors("best-bets", {"game_date": "2025-01-20", "generated_at_utc": "x", "system": "blend", "status": "picks", "message": "1 picks",
                                       "tiers": {}, "bets": [old_style]}) == ["bets/0: Additional properties are not allowed ('confidence' was unexpected)"]


def test_write_failure_keeps_the_previous_file(tmp_path, monkeypatch):
    store = ExportStore(base_dir=str(tmp_path))
    store.write_json("status.json", {"version": 1})

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        store.write_json("status.json", {"version": 2, "pad": "x" * 100_000})
    assert json.loads((tmp_path / "status.json").read_text()) == {"version": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]  # no temporary file left behind


# The writer dies (SIGKILL, no clean-up) at the worst moment: the new file is complete on disk under
# its temporary name and has not yet replaced the old one.
WRITER = """
import os, signal, sys
from resources.export_store import ExportStore
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
ExportStore(base_dir=sys.argv[1]).write_json("predictions/latest.json", {"n": 1, "rows": ["x" * 200] * 20000})
"""


def test_a_killed_writer_never_leaves_half_a_file(tmp_path):
    store = ExportStore(base_dir=str(tmp_path))
    store.write_json("predictions/latest.json", {"n": -1})
    writer = subprocess.run([sys.executable, "-c", WRITER, str(tmp_path)], cwd=os.getcwd(), capture_output=True, text=True, timeout=60)
    assert writer.returncode == -signal.SIGKILL, writer.stderr
    assert json.loads((tmp_path / "predictions" / "latest.json").read_text()) == {"n": -1}  # the old document, whole
