"""The platform on a whole REAL season: the replay server's 2024-25 NBA through every asset and check.

    python bench/real_season.py [--start 2024-04-16] [--end 2025-06-22] [--per-date] [--keep DIR]
    python bench/real_season.py --faults [--fault-rate 0.05] [--fault-kinds 429,500,503,truncate,disconnect]

Starts `../shared/replay/server.py` (real balldontlie / ESPN / The Odds API shapes, honest time travel)
on a free 127.0.0.1 port and backfills the season through the platform with `NBA_SOURCE=http`, in
the stages a backfill runs (raw in runs of 10 dates, analytics and features in one run, a model a
week, predictions, grading and publishing in one run; `--per-date` instead runs it as
`nba-assets run` does, one run per date), every asset check evaluated. Prints runs ok / failed, the
asset partitions stored, check evaluations and failures by check, wall time by stage, how the odds
names resolved, the walk-forward results of both systems on real lines, and an independent regrade
of every pick from the raw box scores.

`--faults` runs the season twice at once, against a clean server and one that fails a share of
requests (`--fault-rate`, `--fault-kinds`), and compares the two warehouses table by table (hashes
of every row, the columns that record when something was scraped or predicted left out); checks that
no file the platform wrote holds the API key; then spends the Odds API quota (`--odds-quota`) on a
copy of the clean warehouse and checks that the props step fails with a clear message and nothing
already stored changes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nba_assets_tests.replay_driver import ReplayServer, replay_available  # noqa: E402

# Columns that record when the platform did something (scraped, predicted), not what it found.
WHEN_COLUMNS = {"scraped_at_utc", "predicted_at_utc"}
# Tables of the platform's own operations (run times, lateness): not data to compare across runs.
OPERATIONS_TABLES = {"health_report"}
QUOTA_DATES = ("2024-11-06", "2024-11-08")
# Every book the replay serves: the 2024 multi-book lines' ten, the 2025 lines' eight (Pinnacle, ESPN BET; bet365 and Kambi only when
# named) and the two pick'em sites: 16 named books cost two regions.
REPLAY_BOOKS = ("betmgm,betonlineag,betrivers,bovada,draftkings,fanduel,mybookieag,pointsbetus,unibet_us,williamhill_us,"
                "pinnacle,espnbet,bet365,kambi,prizepicks,underdog")


# ---------------------------------------------------------------------------------------- one season
def run_season(args: argparse.Namespace) -> dict:
    """Backfill the season into `args.workdir` against a replay server of its own; return the summary."""
    workdir = Path(args.workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    key = f"replay-key-{secrets.token_hex(8)}"
    server_args = ["--initial-as-of", args.start, "--fault-seed", str(args.fault_seed)]
    if args.fault_rate:
        server_args += ["--fault-rate", str(args.fault_rate), "--fault-kinds", args.fault_kinds]
    with ReplayServer(workdir / "replay.log", *server_args) as server:
        os.environ.update(server.env(key), NBA_WAREHOUSE="duckdb", NBA_ALERTS="log", DAGSTER_HOME=str(workdir / "dagster_home"),
                          NBA_DATA_DIR=str(workdir / "data"), NBA_ODDS_BOOKMAKERS=args.bookmakers)
        os.environ.pop("NBA_CLOCK", None)
        from nba_assets.definitions import build_defs
        from nba_assets.runner import PartitionRunner, ensure_dagster_home

        ensure_dagster_home()
        runner = PartitionRunner.load("*", build_defs(), echo=lambda line: print(f"[{args.label}] {line}", flush=True))
        started = time.monotonic()
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
        if args.per_date:
            runner.run_range(start, end)
            stages = {"per-date runs": time.monotonic() - started}
        else:
            _, stages = runner.backfill(start, end)
        wall = time.monotonic() - started
        replay = server.stats()
    summary = {
        "label": args.label, "start": args.start, "end": args.end, "mode": "per-date" if args.per_date else "backfill",
        "wall_seconds": wall, "stages": stages, "runs": [{"label": o.partition, "ok": o.ok, "seconds": o.seconds, "error": o.error} for o in runner.outcomes],
        "replay": {"requests": sum(replay["requests"].values()), "faults_injected": replay["faults_injected"], "odds_credits_used": replay["odds_requests_used"]},
        **instance_summary(runner), **warehouse_summary(workdir / "data"),
        "key_found_in": files_holding(key, [workdir / "dagster_home", workdir / "data"]),
    }
    (workdir / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    return summary


def instance_summary(runner) -> dict:
    """Partitions stored per asset and check evaluations per check, as the Dagster instance recorded them."""
    from dagster import AssetKey

    from nba_assets.health.records import check_evaluations

    instance = runner.instance
    partitions = {}
    for node in runner.graph.asset_nodes:
        if node.partitions_def is not None:
            partitions[node.key.to_user_string()] = len(instance.get_materialized_partitions(node.key))
        else:
            partitions[node.key.to_user_string()] = int(instance.get_latest_materialization_event(AssetKey(node.key.path)) is not None)
    checks: dict[str, Counter] = defaultdict(Counter)
    failures: dict[str, list[str]] = defaultdict(list)
    for run_id, evaluation in check_evaluations(instance):
        name = evaluation.check_name
        checks[name]["evaluated"] += 1
        if evaluation.passed:
            checks[name]["passed"] += 1
        else:
            checks[name][f"failed_{evaluation.severity.value.lower()}"] += 1
            run = instance.get_run_by_id(run_id)
            tags = run.tags if run else {}
            where = tags.get("dagster/partition") or "..".join(filter(None, (tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end"))))
            failures[name].append(f"{where}: {evaluation.description or json.dumps({k: str(v.value)[:200] for k, v in evaluation.metadata.items()})[:400]}")
    return {"partitions": partitions, "checks": {k: dict(v) for k, v in sorted(checks.items())}, "check_failures": dict(failures)}


def warehouse_summary(data_dir: Path) -> dict:
    """Table hashes, how the odds names resolved, walk-forward results and the independent regrade."""
    import duckdb

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        tables = [row[0] for row in conn.execute("select table_name from information_schema.tables where table_schema = 'nba' order by 1").fetchall()]
        frames = {name: conn.execute(f"select * from nba.{name}").fetchdf() for name in tables}
    return {
        "tables": {name: {"rows": len(frame), "hash": table_hash(frame)} for name, frame in frames.items() if name not in OPERATIONS_TABLES},
        "registry": registry_summary(frames.get("player_registry")),
        "walk_forward": walk_forward(frames.get("prediction_grades")),
        "regrade": regrade(frames.get("predictions"), frames.get("raw_box_scores"), frames.get("prediction_grades")),
    }


def table_hash(frame) -> str:
    """sha256 of a table's rows in a canonical order, without the columns that record when things were done."""
    frame = frame[[c for c in sorted(frame.columns) if c not in WHEN_COLUMNS]]
    text = frame.astype(str).sort_values(list(frame.columns)).to_csv(index=False) if len(frame.columns) else ""
    return hashlib.sha256(text.encode()).hexdigest()


def registry_summary(registry) -> dict:
    if registry is None or registry.empty:
        return {}
    odds = registry[registry["source"] == "odds"]
    unresolved = odds[odds["player_lookup"].isna()]
    return {
        "odds_names": len(odds), "odds_resolved_share": float(odds["player_lookup"].notna().mean()) if len(odds) else None,
        "odds_match_methods": {str(k): int(v) for k, v in odds["match_method"].value_counts().items()},
        "odds_only_players": sorted(odds.loc[odds["match_method"] == "odds_only", "source_name"].unique().tolist()),
        "unresolved": {str(k): int(v) for k, v in unresolved["source_name"].value_counts().items()},
    }


def walk_forward(grades) -> dict:
    """Per system, on the player-games with a real line where every system predicted and the player
    played: MAE of the system and of the line, bias, and hit rate (95% interval) and picks overall and by edge bucket."""
    from nba_assets.grading.performance import compared_rows, edge_buckets, summarize

    if grades is None or grades.empty:
        return {}
    played = compared_rows(grades)
    out = {"player_games": int(played[["game_id", "player_lookup"]].drop_duplicates().shape[0]),
           "first": str(played["game_date"].min())[:10] if len(played) else None, "last": str(played["game_date"].max())[:10] if len(played) else None}
    for system, rows in played.groupby("system_id"):
        record = summarize(rows)
        buckets = {}
        for label, part in edge_buckets(rows):
            bucket = summarize(part)
            buckets[label] = {"picks": bucket["wins"] + bucket["losses"], "hit_rate": bucket["hit_rate"], "interval": (bucket["hit_rate_low"], bucket["hit_rate_high"])}
        out[system] = {"mae": record["mae"], "line_mae": record["line_mae"], "bias": record["bias"], "picks": buckets}
    return out


def regrade(predictions, box, grades) -> dict:
    """Grade every prediction again from the raw box scores, by the rules of DESIGN §4 written out
    here (not the project's grading code), and compare with `prediction_grades`: whether he played
    (a DNP voids), the absolute error of everyone who played, and each pick's win / loss / push."""
    import pandas as pd

    from nba_assets.keys import player_lookup

    if predictions is None or predictions.empty or box is None:
        return {}
    latest = predictions.sort_values("predicted_at_utc").drop_duplicates(["game_id", "player_lookup", "system_id"], keep="last")
    box = box.assign(key=(box["first_name"].fillna("") + " " + box["last_name"].fillna("")).str.strip().map(player_lookup),
                     played=pd.to_numeric(box["min"].fillna("0").astype(str).str.split(":").str[0].replace("", "0"), errors="coerce").fillna(0) > 0)
    points = box.drop_duplicates(["game_id", "key"]).set_index(["game_id", "key"])
    boxed_games = set(box["game_id"])
    graded = grades.set_index(["game_id", "player_lookup", "system_id"]) if grades is not None else None
    counts, agree, disagree, missing, examples = Counter(), Counter(), Counter(), 0, []
    for pred in latest.itertuples():
        if pred.game_id not in boxed_games:
            counts["no box score"] += 1  # nothing to grade against
            continue
        row = points.loc[(pred.game_id, pred.player_lookup)] if (pred.game_id, pred.player_lookup) in points.index else None
        played = row is not None and bool(row["played"])
        mine = {"played": played, "absolute_error": round(abs(float(pred.predicted_points) - float(row["pts"])), 6) if played and pd.notna(pred.predicted_points) else None}
        if pred.recommendation in ("OVER", "UNDER"):
            if not played:
                mine["result"] = "void"
            elif float(row["pts"]) == float(pred.offer_line):  # a pick is graded at its book's line
                mine["result"] = "push"
            else:
                mine["result"] = "win" if (float(row["pts"]) > float(pred.offer_line)) == (pred.recommendation == "OVER") else "loss"
            counts[mine["result"]] += 1
        else:
            counts["played" if played else "did not play"] += 1
        keyed = (pred.game_id, pred.player_lookup, pred.system_id)
        if graded is None or keyed not in graded.index:
            missing += 1
            examples.append(f"{keyed}: {mine}, never graded")
            continue
        ours = graded.loc[keyed]
        theirs = {"played": not bool(ours["is_voided"]),
                  "absolute_error": round(float(ours["absolute_error"]), 6) if pd.notna(ours["absolute_error"]) else None}
        if "result" in mine:
            theirs["result"] = "void" if bool(ours["is_voided"]) else ours["result"]
        for field, value in mine.items():
            if value == theirs[field]:
                agree[field] += 1
            else:
                disagree[field] += 1
                examples.append(f"{keyed}: {field} regrade {value}, prediction_grades {theirs[field]}")
    graded_count = sum(v for k, v in counts.items() if k != "no box score")
    return {"predictions": graded_count, "picks": sum(counts[k] for k in ("win", "loss", "push", "void")), "by_regrade": dict(counts),
            "agree": dict(agree), "disagree": dict(disagree), "never_graded": missing, "examples": examples[:10]}


def files_holding(needle: str, roots: list[Path]) -> list[str]:
    """Files under `roots` whose bytes (gzip files: decompressed too) contain `needle`."""
    found, data = [], needle.encode()
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            content = path.read_bytes()
            if path.suffix == ".gz":
                try:
                    content += gzip.decompress(content)
                except OSError:
                    pass
            if data in content:
                found.append(str(path))
    return found


# ---------------------------------------------------------------------------------------- the quota
def spend_the_quota(clean: Path, workdir: Path, quota: int) -> dict:
    """On a copy of the clean season: forget the landed odds snapshots of `QUOTA_DATES`, then ask for
    those dates' props from a server with `quota` credits left. The props step must fail naming the
    spent quota, and every table must be as it was."""
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.copytree(clean / "data", workdir / "data")
    first, last = (date.fromisoformat(d) for d in QUOTA_DATES)
    days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    for day in days:
        shutil.rmtree(workdir / "data" / "landing" / "odds_api" / "event_odds" / day, ignore_errors=True)
    before = warehouse_summary(workdir / "data")["tables"]
    with ReplayServer(workdir / "replay.log", "--initial-as-of", QUOTA_DATES[0], "--odds-quota", str(quota)) as server:
        os.environ.update(server.env(f"replay-key-{secrets.token_hex(8)}"), DAGSTER_HOME=str(workdir / "dagster_home"), NBA_DATA_DIR=str(workdir / "data"))
        from nba_assets.definitions import build_defs
        from nba_assets.runner import PartitionRunner, ensure_dagster_home

        ensure_dagster_home()
        runner = PartitionRunner.load("raw_player_props", build_defs(), echo=lambda line: print(f"[quota] {line}", flush=True))
        failures = runner.run_range(first, last)
        credits = server.stats()["odds_requests_used"]
    after = warehouse_summary(workdir / "data")["tables"]
    landed = sum(len(list((workdir / "data" / "landing" / "odds_api" / "event_odds" / day).glob("*.json.gz"))) for day in days)
    return {"quota": quota, "credits_used": credits, "dates": days, "failed_runs": len(failures), "errors": [o.error for o in failures],
            "tables_unchanged": before == after, "snapshots_landed_before_the_quota_ran_out": landed}


# ---------------------------------------------------------------------------------------- printing
def print_summary(s: dict) -> None:
    runs = s["runs"]
    failed = [r for r in runs if not r["ok"]]
    print(f"\n== {s['label']}: real season {s['start']} .. {s['end']} ({s['mode']}), wall {s['wall_seconds'] / 60:.1f} min")
    print(f"runs: {len(runs) - len(failed)} ok, {len(failed)} failed")
    for r in failed[:20]:
        print(f"  FAILED {r['label']}: {r['error']}")
    print("wall time by stage: " + ", ".join(f"{k} {v:.0f} s" for k, v in s["stages"].items()))
    print(f"replay server: {s['replay']['requests']} requests, faults injected {s['replay']['faults_injected'] or 'none'}, "
          f"odds credits {s['replay']['odds_credits_used']}")
    print(f"asset partitions stored: {sum(s['partitions'].values())}  (" + ", ".join(f"{k} {v}" for k, v in sorted(s["partitions"].items())) + ")")
    evaluated = sum(c.get("evaluated", 0) for c in s["checks"].values())
    errors = sum(c.get("failed_error", 0) for c in s["checks"].values())
    warnings = sum(c.get("failed_warn", 0) for c in s["checks"].values())
    print(f"check evaluations: {evaluated} ({len(s['checks'])} checks), failed with ERROR {errors}, with WARN {warnings}")
    for name, counts in s["checks"].items():
        flag = "" if counts.get("passed", 0) == counts["evaluated"] else "   <-- " + "; ".join(s["check_failures"].get(name, [])[:3])
        print(f"  {name:58s} {counts['evaluated']:4d} evaluated, {counts.get('failed_error', 0)} ERROR, {counts.get('failed_warn', 0)} WARN{flag}")
    reg = s["registry"]
    if reg:
        print(f"odds names: {reg['odds_names']} (player x game), resolved {reg['odds_resolved_share']:.2%}; by rule {reg['odds_match_methods']}")
        print(f"  known only to the odds (rookies and players the other feeds lack): {len(reg['odds_only_players'])} players; unresolved: {reg['unresolved'] or 'none'}")
    wf = s["walk_forward"]
    if wf:
        print(f"walk-forward on real lines: {wf['player_games']} player-games with a line where every system predicted ({wf['first']} .. {wf['last']})")
        for system in ("market", "catboost", "moving_average", "blend"):
            if system in wf:
                w = wf[system]
                cells = ", ".join(f"{label} {v['hit_rate']:.1%} of {v['picks']} [{v['interval'][0]:.1%}, {v['interval'][1]:.1%}]" if v["picks"] else f"{label} -"
                                  for label, v in w["picks"].items())
                print(f"  {system:15s} MAE {w['mae']:.3f} (line {w['line_mae']:.3f}), bias {w['bias']:+.2f}; hit rate: {cells}")
    rg = s["regrade"]
    if rg:
        print(f"independent regrade of {rg['predictions']} predictions ({rg['picks']} picks) from the raw box scores: {rg['by_regrade']}; "
              f"agrees on {rg['agree']}, disagrees on {rg['disagree'] or 'none'}, never graded {rg['never_graded']}")
        for example in rg["examples"]:
            print(f"  {example}")
    print(f"files holding the API key: {s['key_found_in'] or 'none'}")


def compare(clean: dict, faulted: dict) -> bool:
    differ = [name for name in sorted(set(clean["tables"]) | set(faulted["tables"])) if clean["tables"].get(name) != faulted["tables"].get(name)]
    print(f"\n== faults: {faulted['replay']['faults_injected']} injected; runs failed {sum(not r['ok'] for r in faulted['runs'])}; "
          f"tables compared {len(clean['tables'])}, identical {len(clean['tables']) - len(differ)}")
    for name in differ:
        print(f"  DIFFERENT {name}: clean {clean['tables'].get(name)} vs faulted {faulted['tables'].get(name)}")
    return not differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="2024-04-16", help="the 2024 playoffs first: the history the season's first models learn from")
    parser.add_argument("--end", default="2025-06-22")
    parser.add_argument("--per-date", action="store_true", help="one run per date, as `nba-assets run` does (default: backfill stages)")
    parser.add_argument("--faults", action="store_true", help="also run the season against a faulty server and compare; then spend the odds quota")
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--fault-kinds", default="429,500,503,truncate,disconnect")
    parser.add_argument("--fault-seed", type=int, default=7)
    parser.add_argument("--odds-quota", type=int, default=25, help="credits left for the quota check (a historical snapshot costs 10)")
    parser.add_argument("--keep", help="keep the runs' folders here (default: a temporary folder, removed)")
    parser.add_argument("--bookmakers", default=REPLAY_BOOKS, help="the books to buy (NBA_ODDS_BOOKMAKERS): by default every book the replay serves")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # internal: one season in this process
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="clean", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not replay_available():
        print("bench/real_season.py needs ../shared/replay/server.py and ../shared/real-data", file=sys.stderr)
        return 2
    if args.one:
        run_season(args)
        return 0

    root = Path(args.keep or tempfile.mkdtemp(prefix="nba-real-season-"))
    seasons = {"clean": 0.0, **({"faulted": args.fault_rate} if args.faults else {})}
    children = {}
    for label, rate in seasons.items():
        command = [sys.executable, __file__, "--one", "--label", label, "--workdir", str(root / label), "--start", args.start, "--end", args.end,
                   "--bookmakers", args.bookmakers,
                   "--fault-seed", str(args.fault_seed), "--fault-kinds", args.fault_kinds, "--fault-rate", str(rate)]
        children[label] = subprocess.Popen(command + (["--per-date"] if args.per_date else []))
    codes = {label: child.wait() for label, child in children.items()}
    summaries = {label: json.loads((root / label / "summary.json").read_text()) for label in seasons if codes[label] == 0}
    if len(summaries) < len(seasons):
        print(f"a season run did not finish: exit codes {codes}", file=sys.stderr)
        return 1
    for summary in summaries.values():
        print_summary(summary)
    ok = all(not any(not r["ok"] for r in s["runs"]) and not s["key_found_in"] for s in summaries.values())
    if args.faults:
        ok = compare(summaries["clean"], summaries["faulted"]) and ok
        quota = spend_the_quota(root / "clean", root / "quota", args.odds_quota)
        print(f"\n== spent odds quota ({quota['quota']} credits, {quota['credits_used']} used) on {quota['dates'][0]} .. {quota['dates'][-1]}: "
              f"{quota['failed_runs']} of {len(quota['dates'])} runs failed; tables unchanged: {quota['tables_unchanged']}; "
              f"snapshots landed before it ran out, kept: {quota['snapshots_landed_before_the_quota_ran_out']}")
        for error in quota["errors"][:3]:
            print(f"  {error}")
        ok = ok and quota["tables_unchanged"] and quota["failed_runs"] > 0 and all("usage quota is spent" in (e or "") for e in quota["errors"])
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"\nkept in {root}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
