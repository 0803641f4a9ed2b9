"""The WSGI application: routes /balldontlie, /espn and /odds requests to their handlers."""

from __future__ import annotations

import traceback
from urllib.parse import parse_qs

from . import bdl_api, espn_api, odds_api
from .protocol import BadRequest, Request, Response, dumps

_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
            422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error"}


class SimulatedApp:
    """WSGI callable for one SimulatedLeague."""

    def __init__(self, league):
        self.league = league

    def __call__(self, environ, start_response):
        request = Request(
            method=environ.get("REQUEST_METHOD", "GET").upper(),
            path=environ.get("PATH_INFO", "") or "/",
            query=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            headers={k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")},
        )
        response = self.handle(request)
        payload = dumps(response.body)
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(payload))),
                   *response.headers]
        start_response(f"{response.status} {_REASONS.get(response.status, 'Error')}", headers)
        return [payload]

    def handle(self, request: Request) -> Response:
        """Route one request; never raises (500 JSON on a bug)."""
        service, _, rest = request.path.lstrip("/").partition("/")
        handlers = {"balldontlie": bdl_api.handle, "espn": espn_api.handle, "odds": odds_api.handle}
        if service not in handlers:
            return Response(404, {"error": "Not Found", "message": f"no simulated service at {request.path}"})
        if request.method not in ("GET", "HEAD"):
            return Response(405, {"error": "Method Not Allowed", "message": "only GET is supported"})
        try:
            return handlers[service](self.league, request, "/" + rest)
        except BadRequest as exc:
            if service == "odds":
                return Response(422, {"message": str(exc)}, self.league.quota.headers(0))
            return Response(400, {"error": "Bad Request", "message": str(exc)})
        except Exception as exc:  # pragma: no cover - a bug must still answer JSON
            traceback.print_exc()
            return Response(500, {"error": "Internal Server Error", "message": repr(exc)})
