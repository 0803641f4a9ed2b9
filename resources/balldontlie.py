"""balldontlie (`/v1`): schedules and results, box scores, live box scores, the injury report."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from resources.http import ApiSession
from resources.upstream import UpstreamResource

PER_PAGE = 100


class BalldontlieApi:
    """The balldontlie endpoints the platform reads; each returns every page, in order."""

    def __init__(self, session: ApiSession):
        self.session = session

    def games(self, day: date) -> list[dict]:
        """`GET /v1/games?dates[]=D`: the schedule and results of one date, all pages."""
        return list(self.session.paginate("/v1/games", {"dates[]": [day.isoformat()], "per_page": PER_PAGE}))

    def box_scores(self, day: date) -> list[dict]:
        """`GET /v1/box_scores?date=D`: box scores of the date's games that have tipped."""
        return list(self.session.paginate("/v1/box_scores", {"date": day.isoformat()}))

    def live_box_scores(self) -> list[dict]:
        """`GET /v1/box_scores/live`: box scores of the games in progress now."""
        return list(self.session.paginate("/v1/box_scores/live"))

    def injuries(self) -> list[dict]:
        """`GET /v1/player_injuries`: today's injury report, all pages."""
        return list(self.session.paginate("/v1/player_injuries", {"per_page": PER_PAGE}))


class BalldontlieResource(UpstreamResource):
    """balldontlie API (schedule, box scores, live scores, injuries). Key in header `Authorization`."""

    base_url: str = Field(default="https://api.balldontlie.io", description="env BDL_BASE_URL")
    api_key: str | None = Field(default=None, description="env BDL_API_KEY (needed with NBA_SOURCE=http)")

    service = "balldontlie"
    label = "balldontlie"
    key_env = "BDL_API_KEY"

    def secret(self) -> str | None:
        return self.api_key or None

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": self.api_key} if self.api_key else {}

    def api(self, partition: str | None = None) -> BalldontlieApi:
        return BalldontlieApi(self.open_session(partition))
