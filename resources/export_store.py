"""Where JSON exports go: a local folder by default, a GCS bucket in production.

Each file is replaced atomically: locally it is written to a temporary file in the same folder,
flushed to disk and renamed over the old one, so a reader sees the previous complete file or the
new complete file, never half of one (a GCS object upload is atomic by itself).
"""

from __future__ import annotations

import json
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from resources.files import atomic_write


class ExportStore(ConfigurableResource):
    """JSON exports for the front end (`$NBA_DATA_DIR/exports`, or bucket `NBA_EXPORT_BUCKET`)."""

    base_dir: str = Field(description="Local folder of the exports ($NBA_DATA_DIR/exports)")
    gcs_bucket: str | None = Field(default=None, description="GCS bucket (env NBA_EXPORT_BUCKET) when NBA_EXPORT_STORE=gcs")

    def write_json(self, relative_path: str, document: dict) -> str:
        """Replace `relative_path` with `document`; returns where it went."""
        data = json.dumps(document, indent=1, sort_keys=False, default=str).encode()
        if self.gcs_bucket:
            from google.cloud import storage

            storage.Client().bucket(self.gcs_bucket).blob(relative_path).upload_from_string(data, content_type="application/json")
            return f"gs://{self.gcs_bucket}/{relative_path}"
        return str(atomic_write(Path(self.base_dir) / relative_path, data))

    def read_json(self, relative_path: str) -> dict | None:
        """The document at `relative_path`, or None when there is none."""
        if self.gcs_bucket:
            from google.cloud import storage

            blob = storage.Client().bucket(self.gcs_bucket).blob(relative_path)
            return json.loads(blob.download_as_bytes()) if blob.exists() else None
        path = Path(self.base_dir) / relative_path
        return json.loads(path.read_text()) if path.exists() else None
