"""Serve a SimulatedLeague over HTTP on 127.0.0.1 from a daemon thread (stdlib only)."""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class SimulatedServer:
    """A running server: `.port`, `.base_url` ("http://127.0.0.1:PORT"), `.shutdown()`.

    Paths are those of the WSGI app: `base_url + "/balldontlie"`, `"/espn"`, `"/odds"`.
    """

    def __init__(self, app, host: str, port: int):
        self._server = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
        self.host = host
        self.port = int(self._server.server_address[1])
        self.base_url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"simulated-league-{self.port}",
                                        daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "SimulatedServer":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def serve(league, host: str = "127.0.0.1", port: int = 0) -> SimulatedServer:
    """Start serving `league.wsgi_app` on host:port (0 = a free port) in a daemon thread."""
    return SimulatedServer(league.wsgi_app, host, port)
