"""How long `nba-assets demo` takes, stage by stage, on this machine (aim: under 10 minutes).

    python bench/demo_stages.py [--end YYYY-MM-DD]

Runs the demo (last season and this one, simulated league) into a fresh temporary data dir and
Dagster home; the demo prints every run, each stage's time (raw, analytics+features, models,
predictions+grading) and the walk-forward results.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end", help="last game date (default: the demo's)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nba-demo-"))
    os.environ.update(NBA_DATA_DIR=str(folder / "data"), DAGSTER_HOME=str(folder / "home"))
    from nba_assets.definitions import build_defs
    from nba_assets.demo import run_demo

    started = time.perf_counter()
    status = run_demo(build_defs, date.fromisoformat(args.end) if args.end else None)
    print(f"\ndemo wall time {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores (aim: under 600 s); exit status {status}; data in {folder}")


if __name__ == "__main__":
    main()
