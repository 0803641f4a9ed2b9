"""ESPN site API: the roster of each team, with birth dates (`dateOfBirth`). No key."""

from __future__ import annotations

from pydantic import Field

from resources.http import ApiSession
from resources.teams import TEAMS
from resources.upstream import UpstreamResource


class EspnApi:
    """The ESPN endpoints the platform reads."""

    def __init__(self, session: ApiSession):
        self.session = session

    def roster(self, espn_team_id: int) -> dict:
        """`GET .../teams/{id}?enable=roster`: one team's roster as of now."""
        path = f"/apis/site/v2/sports/basketball/nba/teams/{espn_team_id}"
        params = {"enable": "roster"}
        body, _ = self.session.get_json(path, params)
        if not isinstance(body, dict) or not isinstance(body.get("team"), dict):
            raise self.session.contract_error(path, params, "expected an object with a 'team' object")
        return body

    def all_rosters(self) -> dict[int, dict]:
        """The roster of each of the 30 teams, keyed by ESPN team id."""
        return {team.espn_id: self.roster(team.espn_id) for team in TEAMS}


class EspnResource(UpstreamResource):
    """ESPN site API (team rosters with birth dates)."""

    base_url: str = Field(default="https://site.api.espn.com", description="env ESPN_BASE_URL")

    service = "espn"
    label = "ESPN"

    def api(self, partition: str | None = None) -> EspnApi:
        return EspnApi(self.open_session(partition))
