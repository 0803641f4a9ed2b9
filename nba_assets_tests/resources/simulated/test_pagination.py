"""Cursor pagination really pages; bad parameters are 400, unknown paths 404."""

from __future__ import annotations

from datetime import date, timedelta

from .conftest import YEAR


def _follow(client, path: str, params: dict) -> list[dict]:
    pages, cursor = [], None
    while True:
        body = client.get(path, params={**params, **({"cursor": cursor} if cursor is not None else {})}).json()
        pages.append(body)
        cursor = body["meta"].get("next_cursor")
        if cursor is None:
            return pages
        assert len(pages) < 100, "pagination does not end"


def test_games_pages_follow_next_cursor_to_the_whole_set(bdl, season):
    days = [date(YEAR + 1, 1, 10) + timedelta(days=k) for k in range(7)]
    pages = _follow(bdl, "/v1/games", {"dates[]": [d.isoformat() for d in days], "per_page": 10})
    ids = [g["id"] for page in pages for g in page["data"]]
    expected = set(season.schedule[season.schedule["game_date"].isin(days)]["bdl_game_id"])
    assert len(pages) >= 3
    assert all(len(page["data"]) == 10 for page in pages[:-1]) and 0 < len(pages[-1]["data"]) <= 10
    assert all(page["meta"]["per_page"] == 10 for page in pages)
    assert "next_cursor" not in pages[-1]["meta"]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert ids == sorted(ids)


def test_games_default_and_maximum_page_sizes(bdl):
    days = [(date(YEAR + 1, 1, 1) + timedelta(days=k)).isoformat() for k in range(30)]
    default = bdl.get("/v1/games", params={"dates[]": days}).json()
    assert default["meta"]["per_page"] == 25 and len(default["data"]) == 25
    big = bdl.get("/v1/games", params={"dates[]": days, "per_page": 1000}).json()
    assert big["meta"]["per_page"] == 100 and len(big["data"]) == 100 and "next_cursor" in big["meta"]


def test_injuries_pages_follow_next_cursor(bdl, at):
    from datetime import datetime, timezone
    at(datetime(YEAR + 1, 2, 25, 16, 0, tzinfo=timezone.utc))
    whole = bdl.get("/v1/player_injuries", params={"per_page": 100}).json()
    assert "next_cursor" not in whole["meta"] and len(whole["data"]) > 12
    pages = _follow(bdl, "/v1/player_injuries", {"per_page": 5})
    assert len(pages) == -(-len(whole["data"]) // 5)
    paged = [item for page in pages for item in page["data"]]
    assert paged == whole["data"]
    ids = [item["player"]["id"] for item in paged]
    assert ids == sorted(set(ids))


def test_bad_parameters_are_400_and_unknown_paths_404(bdl):
    for params in ({"dates[]": "2025-13-01"}, {"dates[]": "20250101"}, {"dates[]": "2025-01-20", "per_page": 0},
                   {"dates[]": "2025-01-20", "cursor": "abc"}, {}):
        response = bdl.get("/v1/games", params=params)
        assert response.status_code == 400, params
        assert "message" in response.json()
    assert bdl.get("/v1/box_scores", params={"date": "yesterday"}).status_code == 400
    assert bdl.get("/v1/box_scores").status_code == 400
    missing = bdl.get("/v1/teams/1")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json")
    assert bdl.get("http://simulated.invalid/nowhere").status_code == 404
