"""Live scores of the simulated league's games in progress, exported for the front end."""

import json

from nba_assets.publishing.assets import live_exports
from nba_assets.publishing.validate import schema_errors
from nba_assets.raw import live_box_scores


def test_live_exports_during_the_games(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T21:15:00-05:00")
    assert platform.materialize([live_box_scores, live_exports]).success
    live = json.loads((platform.data_dir / "exports" / "live" / "2025-01-20.json").read_text())
    assert schema_errors("live", live) == [] and live["games"] and all(g["status"] != "Final" for g in live["games"])
    first = {g["game_id"]: g["home_score"] + g["away_score"] for g in live["games"]}
    grading = json.loads((platform.data_dir / "exports" / "live-grading" / "latest.json").read_text())
    assert schema_errors("live-grading", grading) == [] and grading["picks"] == []  # no best bets were published for this day
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T21:45:00-05:00")
    platform.materialize([live_box_scores, live_exports])
    later = json.loads((platform.data_dir / "exports" / "live" / "latest.json").read_text())
    scores = {g["game_id"]: g["home_score"] + g["away_score"] for g in later["games"]}
    assert all(scores[g] >= first[g] for g in scores if g in first) and any(scores[g] > first[g] for g in scores if g in first)
