"""The platform's configuration, read from the environment (DESIGN §3), and the resources it builds.

| env var | default | meaning |
|---|---|---|
| NBA_SOURCE | simulated | `simulated`: every API answered by the embedded league; `http`: the base URLs below |
| BDL_BASE_URL, BDL_API_KEY | https://api.balldontlie.io | balldontlie |
| ESPN_BASE_URL | https://site.api.espn.com | ESPN site API |
| ODDS_API_BASE_URL, ODDS_API_KEY | https://api.the-odds-api.com | The Odds API |
| NBA_WAREHOUSE | duckdb | `duckdb` (`$NBA_DATA_DIR/warehouse.duckdb`) or `bigquery` (GCP_PROJECT, BQ_DATASET) |
| NBA_DATA_DIR | ./data | local warehouse, landing zone, model artifacts, exports |
| NBA_MODEL_STORE, NBA_MODEL_BUCKET | local | model artifacts: `local` ($NBA_DATA_DIR/models) or `gcs` (a bucket) |

Keys are passed as `EnvVar`s: Dagster resolves them at run time and the UI shows the variable's
name, never its value.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import EnvVar

from resources.alerts import CHANNELS, AlertsResource
from resources.balldontlie import BalldontlieResource
from resources.errors import ConfigurationError
from resources.espn import EspnResource
from resources.export_store import ExportStore
from resources.landing import LandingZoneResource
from resources.model_store import ModelStore
from resources.odds_api import DEFAULT_BOOKMAKERS, OddsApiResource
from resources.upstream import SOURCES
from resources.warehouse import warehouse_io_manager


def _env(name: str, default: str) -> str | EnvVar:
    return EnvVar(name) if os.environ.get(name) else default


def _secret(name: str) -> EnvVar | None:
    return EnvVar(name) if os.environ.get(name) else None


def number_setting(name: str, default: float) -> float:
    """A number from the environment variable `name` (`default` when unset), or a ConfigurationError naming it."""
    text = os.environ.get(name)
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise ConfigurationError(f"{name}={text!r} is not a number") from None


def data_dir() -> Path:
    """`NBA_DATA_DIR`, absolute; `./data` under the working directory when unset."""
    return Path(os.environ.get("NBA_DATA_DIR") or "data").expanduser().resolve()


def warehouse_kind() -> str:
    """`NBA_WAREHOUSE`: `duckdb` (default) or `bigquery`."""
    return os.environ.get("NBA_WAREHOUSE") or "duckdb"


def resource_defs() -> dict[str, object]:
    """Every resource of the code location, configured from the environment."""
    source_name = os.environ.get("NBA_SOURCE") or "simulated"
    if source_name not in SOURCES:
        raise ConfigurationError(f"NBA_SOURCE={source_name!r} is not one of {', '.join(SOURCES)}")
    source = _env("NBA_SOURCE", "simulated")
    if (os.environ.get("NBA_ALERTS") or "log") not in CHANNELS:
        raise ConfigurationError(f"NBA_ALERTS={os.environ['NBA_ALERTS']!r} is not one of {', '.join(CHANNELS)}")
    folder = str(data_dir())
    return {
        "io_manager": warehouse_io_manager(warehouse_kind(), folder),
        "balldontlie": BalldontlieResource(source=source, base_url=_env("BDL_BASE_URL", "https://api.balldontlie.io"), api_key=_secret("BDL_API_KEY")),
        "espn": EspnResource(source=source, base_url=_env("ESPN_BASE_URL", "https://site.api.espn.com")),
        "odds_api": odds_api(source),
        "landing": LandingZoneResource(data_dir=folder),
        "model_store": model_store(folder),
        "exports": export_store(folder),
        "alerts": AlertsResource(
            channel=os.environ.get("NBA_ALERTS") or "log", log_path=str(Path(folder) / "alerts.log"),
            slack_webhook_url=_secret("NBA_SLACK_WEBHOOK_URL"), smtp_host=_env("NBA_SMTP_HOST", "") or None,
            smtp_port=int(os.environ.get("NBA_SMTP_PORT") or 25), mail_from=_env("NBA_ALERT_FROM", "") or None, mail_to=_env("NBA_ALERT_TO", "") or None,
        ),
    }


def odds_api(source) -> OddsApiResource:
    """The Odds API: the books it quotes are `NBA_ODDS_BOOKMAKERS` (default: 10 named books, one
    region's price), or the regions `NBA_ODDS_REGIONS` (each region its price again) when only that is
    set; named books win when both are."""
    regions = os.environ.get("NBA_ODDS_REGIONS", "")
    bookmakers = os.environ.get("NBA_ODDS_BOOKMAKERS", "" if regions.strip() else DEFAULT_BOOKMAKERS)
    if not bookmakers.strip() and not regions.strip():
        raise ConfigurationError("NBA_ODDS_BOOKMAKERS is empty and NBA_ODDS_REGIONS is not set: The Odds API needs books or regions to quote")
    return OddsApiResource(source=source, base_url=_env("ODDS_API_BASE_URL", "https://api.the-odds-api.com"), api_key=_secret("ODDS_API_KEY"),
                           bookmakers=bookmakers, regions=regions)


def _store_kind(variable: str, bucket: str) -> bool:
    """Whether `variable` (local | gcs) asks for a GCS bucket, which then must be set in `bucket`."""
    kind = os.environ.get(variable) or "local"
    if kind not in ("local", "gcs"):
        raise ConfigurationError(f"{variable}={kind!r} is not one of local, gcs")
    if kind == "gcs" and not os.environ.get(bucket):
        raise ConfigurationError(f"{variable}=gcs needs {bucket} in the environment")
    return kind == "gcs"


def model_store(folder: str) -> ModelStore:
    """`NBA_MODEL_STORE`: `local` (default, `$NBA_DATA_DIR/models`) or `gcs` (bucket `NBA_MODEL_BUCKET`)."""
    gcs = _store_kind("NBA_MODEL_STORE", "NBA_MODEL_BUCKET")
    return ModelStore(base_dir=str(Path(folder) / "models"), gcs_bucket=EnvVar("NBA_MODEL_BUCKET") if gcs else None)


def export_store(folder: str) -> ExportStore:
    """`NBA_EXPORT_STORE`: `local` (default, `$NBA_DATA_DIR/exports`) or `gcs` (bucket `NBA_EXPORT_BUCKET`)."""
    gcs = _store_kind("NBA_EXPORT_STORE", "NBA_EXPORT_BUCKET")
    return ExportStore(base_dir=str(Path(folder) / "exports"), gcs_bucket=EnvVar("NBA_EXPORT_BUCKET") if gcs else None)
