"""The real-data replay server (`../shared/replay/server.py`) for the tests and benches that run the
platform on REAL seasons: started on a free 127.0.0.1 port in its own process, stopped afterwards.

Nothing here is collected as a test.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
REPLAY_SERVER = REPO_ROOT.parent / "shared" / "replay" / "server.py"


def replay_available() -> bool:
    """Whether the replay server and its real data are beside the project (`../shared`)."""
    return REPLAY_SERVER.exists() and (REPLAY_SERVER.parents[1] / "real-data").is_dir()


class ReplayServer:
    """`server.py --no-holdout` on a free port; `env(key)` gives the platform's `NBA_SOURCE=http`
    environment pointing at it. `args` go to the server as they are (faults, quota, as-of)."""

    def __init__(self, log_path: Path, *args: str, start_timeout: float = 60.0):
        self.log_path, self.args, self.start_timeout = Path(log_path), list(args), start_timeout
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> ReplayServer:
        if not replay_available():
            raise FileNotFoundError(f"{REPLAY_SERVER} or its real-data folder is missing")
        port_file = Path(tempfile.mkdtemp(prefix="replay-port-")) / "port"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        command = [sys.executable, str(REPLAY_SERVER), "--port", "0", "--port-file", str(port_file), "--no-holdout", "--quiet", *self.args]
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
        deadline = time.monotonic() + self.start_timeout
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the replay server did not start; its log {self.log_path}:\n{self.log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        self.url = f"http://127.0.0.1:{int(port_file.read_text())}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def env(self, key: str) -> dict[str, str]:
        """The platform's environment for this server: the three base URLs and `key` for both keyed APIs."""
        return {"NBA_SOURCE": "http", "BDL_BASE_URL": f"{self.url}/balldontlie", "ESPN_BASE_URL": f"{self.url}/espn",
                "ODDS_API_BASE_URL": f"{self.url}/odds", "BDL_API_KEY": key, "ODDS_API_KEY": key}

    def stats(self) -> dict:
        """Requests per endpoint, faults injected and odds credits used, as the server counts them."""
        return httpx.get(f"{self.url}/_replay/stats", timeout=10, trust_env=False).json()
