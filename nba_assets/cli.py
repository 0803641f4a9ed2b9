"""`nba-assets`: run partitions through Dagster, the demo, and the simulated league's HTTP server."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from datetime import date

from resources.errors import ConfigurationError

USAGE_ERROR = 2


class CliError(Exception):
    """A problem with what the user asked for; printed as one line."""


def parse_day(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{flag} {text!r} is not a date: write YYYY-MM-DD") from None


def _cmd_run(args: argparse.Namespace) -> int:
    from nba_assets.definitions import build_defs
    from nba_assets.runner import PartitionRunner, ensure_dagster_home

    start = parse_day(args.start, "--start")
    end = parse_day(args.end, "--end") if args.end else start
    ensure_dagster_home()
    runner = PartitionRunner.load(args.select, build_defs())
    failures = runner.run_range(start, end)
    return 1 if failures else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    os.environ["NBA_SOURCE"] = "simulated"
    from nba_assets.definitions import build_defs
    from nba_assets.demo import run_demo

    return run_demo(build_defs, parse_day(args.end, "--end") if args.end else None, parse_day(args.start, "--start") if args.start else None)


def _stop(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _cmd_serve(args: argparse.Namespace) -> int:
    from resources.simulated import SimulatedLeague, serve

    # a server stops on SIGTERM and Ctrl-C even when started where they are ignored (a background job)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    league = SimulatedLeague(seed=args.seed) if args.seed is not None else SimulatedLeague()
    server = serve(league, host="127.0.0.1", port=args.port)
    print(f"simulated league on {server.base_url}: {server.base_url}/balldontlie, {server.base_url}/espn, {server.base_url}/odds (Ctrl-C stops)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nba-assets", description="NBA player-points props on Dagster.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="materialise a selection for each game date of a range, recorded in DAGSTER_HOME")
    run.add_argument("--start", required=True, help="first game date, YYYY-MM-DD (ET)")
    run.add_argument("--end", help="last game date, YYYY-MM-DD (default: --start)")
    run.add_argument(
        "--select",
        default="*",
        help="assets as `dagster asset materialize --select` takes them: comma-separated keys, "
        "`*key` for a key and everything it depends on (default: every game-date asset)",
    )
    run.set_defaults(func=_cmd_run)

    demo = sub.add_parser("demo", help="run the whole pipeline on the simulated league and print its walk-forward results")
    demo.add_argument("--end", help="last game date (default: the latest finished game date of a simulated season)")
    demo.add_argument("--start", help="first game date (default: the first game of the season before --end's)")
    demo.set_defaults(func=_cmd_demo)

    serve = sub.add_parser("serve-simulated", help="serve the simulated league over HTTP on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--seed", type=int, default=None, help="league seed (default: NBA_SIM_SEED or the built-in seed)")
    serve.set_defaults(func=_cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"nba-assets: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except ConfigurationError as exc:
        print(f"nba-assets: error: {exc}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
