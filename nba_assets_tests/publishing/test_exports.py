"""Exports built from a real pipeline slice match their JSON Schemas; a write that dies leaves the old file whole."""

import json
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from nba_assets.publishing.documents import (
    best_bets_document, live_document, live_grading_document, performance_document, pick_status, predictions_document, results_document,
)
from nba_assets.picks import BREAK_EVEN
from nba_assets.publishing.validate import schema_errors
from resources.export_store import ExportStore

DAY = pd.Timestamp("2024-11-25")  # the first date served by a trained model
NOW = pd.Timestamp("2024-11-25 17:00", tz="UTC").to_pydatetime()


@pytest.fixture(scope="module")
def tables(pipeline_slice):
    return {name: pipeline_slice.table(name) for name in ("predictions", "upcoming_player_game_context", "prediction_grades", "system_performance")}


def test_documents_match_their_schemas(tables, paying_slice):
    predictions, context = paying_slice["predictions"], tables["upcoming_player_game_context"]
    documents = {
        "predictions": predictions_document(DAY, predictions, context, NOW),
        "best-bets": best_bets_document(DAY, predictions, context, NOW),
        "results": results_document(DAY, paying_slice["grades"], NOW),
        "performance": performance_document(paying_slice["record"], NOW),
    }
    for schema, document in documents.items():
        assert schema_errors(schema, document) == [], schema
    assert len(documents["predictions"]["games"]) > 3 and documents["best-bets"]["bets"] and documents["best-bets"]["status"] == "picks"
    assert all(b["confidence"] >= BREAK_EVEN for b in documents["best-bets"]["bets"])
    assert documents["results"]["systems"]["moving_average"]["picks"] > 0
    # the slice as the assets stored it: documents of a date without an edge match their schemas too
    stored = {"best-bets": best_bets_document(DAY, tables["predictions"], context, NOW), "results": results_document(DAY, tables["prediction_grades"], NOW),
              "performance": performance_document(tables["system_performance"], NOW)}
    assert all(schema_errors(schema, document) == [] for schema, document in stored.items())


def test_a_date_without_an_edge_says_so_instead_of_publishing_picks(tables, paying_slice):
    context = tables["upcoming_player_game_context"]
    stored = best_bets_document(DAY, tables["predictions"], context, NOW)
    assert stored["status"] == "no_edge" and stored["bets"] == [] and "moving_average: no edge: moving_average" in stored["message"]
    day = paying_slice["predictions"][paying_slice["predictions"]["game_date"] == DAY]
    assert pick_status(day)[0] == "picks"
    assert pick_status(day.assign(line=float("nan"), recommendation="NO_LINE"))[0] == "no_lines"
    assert pick_status(day.assign(recommendation=day["recommendation"].where(day["line"].isna(), "PASS"), reason="|edge| below 1.5"))[0] == "no_picks"


def test_live_documents_match_their_schemas():
    live = pd.DataFrame([{"game_id": "20250120_BOS_LAL", "status": "3rd Qtr", "period": 3, "clock": "5:12", "home_score": 80, "away_score": 77,
                          "player_name": "LeBron James", "team_abbr": "LAL", "minutes": 28.0, "pts": 21}])
    bets = {"bets": [{"game_id": "20250120_BOS_LAL", "player_lookup": "lebronjames", "recommendation": "OVER", "line": 24.5},
                     {"game_id": "20250120_DEN_GSW", "player_lookup": "nikolajokic", "recommendation": "UNDER", "line": 27.5}]}
    grading = live_grading_document("2025-01-20", live, bets, NOW)
    assert schema_errors("live", live_document("2025-01-20", live, NOW)) == [] and schema_errors("live-grading", grading) == []
    assert [p["state"] for p in grading["picks"]] == ["in play", "not started"] and grading["picks"][0]["needed"] == 3.5


def test_a_broken_document_is_refused_with_the_field_named():
    errors = schema_errors("best-bets", {"game_date": "2025-01-20", "generated_at_utc": "x", "system": "catboost", "status": "picks", "message": "1 picks", "tiers": {},
                                          "bets": [{"rank": 1, "tier": "A", "game_id": "g", "player_lookup": "p", "player_name": None, "team": "LAL",
                                                    "opponent": "BOS", "recommendation": "OVER", "line": 20.5, "predicted_points": 25.0, "edge": 4.5, "confidence": 0.3}]})
    assert errors == ["bets/0/confidence: 0.3 is less than the minimum of 0.5"]


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
