"""What every raw asset shares: typed tables, contract errors, the landing zone flow, UI metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import pandas as pd
from dagster import Config, Failure, MetadataValue
from pydantic import Field

from nba_assets.tables import table_schema
from resources.clock import now_utc, today_et
from resources.http import RequestStats, UpstreamContractError
from resources.landing import LandedRecord, LandingZone


class ContractViolation(ValueError):
    """An upstream body lacks a field or has one of the wrong kind; the message names it."""


class RawConfig(Config):
    """Launchpad options of a raw asset."""

    reparse: bool = Field(
        default=False,
        description="Rebuild the partition from responses already in the landing zone, without calling the API.",
    )


def need(obj: Any, *path: str | int, where: str) -> Any:
    """`obj[path...]`, or a ContractViolation naming `where` and the missing field."""
    current = obj
    for step in path:
        try:
            current = current[step]
        except (KeyError, IndexError, TypeError):
            dotted = ".".join(str(p) for p in path)
            raise ContractViolation(f"{where}: field '{dotted}' is missing") from None
    return current


def need_int(obj: Any, *path: str, where: str, allow_none: bool = False) -> int | None:
    value = need(obj, *path, where=where)
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        raise ContractViolation(f"{where}: field '{'.'.join(path)}' should be a whole number, got {value!r}")
    return int(value)


def need_number(obj: Any, *path: str, where: str) -> float:
    value = need(obj, *path, where=where)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ContractViolation(f"{where}: field '{'.'.join(path)}' should be a number, got {value!r}")
    return float(value)


def need_str(obj: Any, *path: str, where: str) -> str:
    value = need(obj, *path, where=where)
    if not isinstance(value, str):
        raise ContractViolation(f"{where}: field '{'.'.join(path)}' should be text, got {value!r}")
    return value


def parse_utc(text: str, where: str, field_name: str) -> pd.Timestamp:
    """An ISO timestamp from an upstream body, as a naive UTC timestamp (the warehouse's form)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise ContractViolation(f"{where}: field '{field_name}' is not an ISO timestamp: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return pd.Timestamp(moment.astimezone(timezone.utc).replace(tzinfo=None))


def as_utc(moment: pd.Timestamp) -> datetime:
    """A naive-UTC warehouse timestamp back to an aware datetime."""
    return moment.to_pydatetime().replace(tzinfo=timezone.utc)


def game_date_value(day: date) -> pd.Timestamp:
    """The warehouse form of a game date: a naive timestamp at midnight (DESIGN §8)."""
    return pd.Timestamp(day)


def game_id(day: date, away: str, home: str) -> str:
    """`YYYYMMDD_AWAY_HOME`."""
    return f"{day:%Y%m%d}_{away}_{home}"


def stamp(moment: datetime) -> str:
    """A compact UTC timestamp for file names: `20250120T170000Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def typed_frame(rows: list[dict], columns: Mapping[str, str]) -> pd.DataFrame:
    """Rows as a frame with exactly `columns` (name -> pandas dtype), in that order, even when empty."""
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    return frame.astype(dict(columns))


def contract_failure(source: str, endpoint: str, partition: str, problem: str) -> UpstreamContractError:
    return UpstreamContractError(f"{source} {endpoint} (partition {partition}): {problem}")


@contextmanager
def parsing(source: str, endpoint: str, partition: str) -> Iterator[None]:
    """Turn a ContractViolation raised while parsing into a step failure naming source, endpoint and partition."""
    try:
        yield
    except ContractViolation as exc:
        raise contract_failure(source, endpoint, partition, str(exc)) from None


class DayKind:
    PAST = "past"
    TODAY = "today"


def day_kind(day: date, partition: str) -> str:
    """Whether a partition is today's slate (live endpoints) or in the past (history)."""
    today = today_et()
    if day > today:
        raise Failure(
            description=f"partition {partition} is in the future (today in ET is {today}); nothing can be scraped for it yet",
            allow_retries=False,
        )
    return DayKind.TODAY if day == today else DayKind.PAST


def partition_days(partition_keys: list[str]) -> list[tuple[str, date]]:
    """(key, game date) of each partition of a run; a date after today (ET) fails the step."""
    days = [(key, date.fromisoformat(key)) for key in partition_keys]
    for key, day in days:
        day_kind(day, key)
    return days


@dataclass
class ScrapeReport:
    """What a raw asset did across its partitions, for the UI."""

    stats: list[RequestStats] = field(default_factory=list)
    records_used: int = 0
    records_written: int = 0
    reparsed: bool = False
    notes: list[str] = field(default_factory=list)
    credits_by_date: dict[str, int] = field(default_factory=dict)  # usage a quota'd API spent, per partition

    def metadata(self, frame: pd.DataFrame, columns: Mapping[str, str]) -> dict[str, Any]:
        quota = [s.quota_remaining for s in self.stats if s.quota_remaining is not None]
        used = [s.quota_used for s in self.stats if s.quota_used is not None]
        out: dict[str, Any] = {
            "rows": len(frame),
            "requests": sum(s.requests for s in self.stats),
            "retries": sum(s.retries for s in self.stats),
            "landing_records_used": self.records_used,
            "landing_records_written": self.records_written,
            "mode": "re-parsed from the landing zone" if self.reparsed else "scraped",
            "dagster/column_schema": table_schema(columns),
        }
        if self.credits_by_date:
            out["credits"] = sum(self.credits_by_date.values())
            out["credits_by_date"] = MetadataValue.json(self.credits_by_date)
        if quota:
            out["quota_remaining"] = min(quota)
        if used:
            out["quota_used"] = max(used)
        if self.notes:
            out["notes"] = MetadataValue.md("\n".join(f"- {n}" for n in self.notes))
        if len(frame):
            out["preview"] = MetadataValue.md(frame.head(10).to_markdown(index=False))
        return out


def land(zone: LandingZone, source: str, dataset: str, partition: str, name: str, request: dict, payload: Any, report: ScrapeReport) -> LandedRecord:
    """Keep one response in the landing zone and return it as a record."""
    fetched_at = now_utc().isoformat()
    path = zone.write(source, dataset, partition, name, fetched_at=fetched_at, request=request, payload=payload)
    report.records_written += 1
    return zone.read(path)


def latest_or_fetch(
    zone: LandingZone,
    source: str,
    dataset: str,
    partition: str,
    reparse: bool,
    fetch: Callable[[], tuple[dict, Any]],
    report: ScrapeReport,
) -> LandedRecord:
    """A fresh scrape kept in the landing zone, or (re-parse) the partition's latest landed record."""
    if reparse:
        records = zone.records(source, dataset, partition)
        if not records:
            raise Failure(
                description=f"nothing landed for {source}/{dataset} partition {partition}: materialise it without `reparse` to scrape it",
                allow_retries=False,
            )
        report.reparsed = True
        report.records_used += 1
        return records[-1]
    request, payload = fetch()
    record = land(zone, source, dataset, partition, f"fetch-{stamp(now_utc())}", request, payload, report)
    report.records_used += 1
    return record


def day_snapshots(
    zone: LandingZone,
    source: str,
    dataset: str,
    partition: str,
    day: date,
    reparse: bool,
    fetch: Callable[[], tuple[dict, Any]],
    report: ScrapeReport,
    fetch_for_past_day: bool,
) -> list[LandedRecord]:
    """The landed snapshots of an endpoint that only answers "as of now" (rosters, injury report).

    Today: a fresh snapshot joins the day's earlier ones. A past date: the snapshots landed on it,
    re-parsed; when there are none, a snapshot taken now if `fetch_for_past_day`, else nothing.
    """
    records = zone.records(source, dataset, partition)
    if reparse:
        if not records:
            raise Failure(
                description=f"nothing landed for {source}/{dataset} partition {partition}: materialise it without `reparse` to scrape it",
                allow_retries=False,
            )
        report.reparsed = True
    elif day_kind(day, partition) == DayKind.TODAY or (not records and fetch_for_past_day):
        request, payload = fetch()
        records.append(land(zone, source, dataset, partition, f"fetch-{stamp(now_utc())}", request, payload, report))
    elif records:
        report.reparsed = True
    report.records_used += len(records)
    return records
