"""The landing zone: every raw upstream response, kept so a partition can be re-parsed.

Layout: `$NBA_DATA_DIR/landing/{source}/{dataset}/{partition}/{name}.json.gz`. A record holds what was
asked (path and parameters, secrets redacted), when it was fetched, and the bodies (all pages).
Files are written atomically (a reader never sees half a record) and never rewritten: a name that
exists is a snapshot already paid for.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dagster import ConfigurableResource
from pydantic import Field

from resources.files import atomic_write

_SAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


@dataclass(frozen=True)
class LandedRecord:
    path: Path
    body: dict[str, Any]

    @property
    def fetched_at(self) -> str:
        return self.body["fetched_at"]

    @property
    def payload(self) -> Any:
        return self.body["payload"]


class LandingZone:
    """Raw responses under one root folder."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def folder(self, source: str, dataset: str, partition: str) -> Path:
        return self.root / source / dataset / partition

    def path(self, source: str, dataset: str, partition: str, name: str) -> Path:
        return self.folder(source, dataset, partition) / f"{_SAFE.sub('_', name)}.json.gz"

    def exists(self, source: str, dataset: str, partition: str, name: str) -> bool:
        return self.path(source, dataset, partition, name).exists()

    def write(self, source: str, dataset: str, partition: str, name: str, *, fetched_at: str, request: dict, payload: Any) -> Path:
        """Store one record; an existing record of that name is left as it is."""
        target = self.path(source, dataset, partition, name)
        if target.exists():
            return target
        record = {"source": source, "dataset": dataset, "partition": partition, "fetched_at": fetched_at, "request": request, "payload": payload}
        return atomic_write(target, gzip.compress(json.dumps(record, sort_keys=True).encode(), mtime=0))

    def read(self, path: Path) -> LandedRecord:
        try:
            return LandedRecord(path, json.loads(gzip.decompress(path.read_bytes())))
        except (OSError, EOFError, json.JSONDecodeError) as exc:
            raise ValueError(f"landing record {path} is unreadable ({exc}); delete it and re-scrape the partition") from None

    def records(self, source: str, dataset: str, partition: str) -> list[LandedRecord]:
        """Every record of a partition, oldest fetch first."""
        folder = self.folder(source, dataset, partition)
        if not folder.is_dir():
            return []
        records = [self.read(p) for p in sorted(folder.glob("*.json.gz"))]
        return sorted(records, key=lambda r: (r.fetched_at, r.path.name))


class LandingZoneResource(ConfigurableResource):
    """Where raw upstream responses are kept (`$NBA_DATA_DIR/landing`)."""

    data_dir: str = Field(description="env NBA_DATA_DIR; the landing zone is its `landing/` folder")

    def zone(self) -> LandingZone:
        return LandingZone(Path(self.data_dir) / "landing")
