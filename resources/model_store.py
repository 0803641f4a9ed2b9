"""Where trained models live: CatBoost's own file and its metadata, per asset and partition.

Locally a folder under `$NBA_DATA_DIR/models`; in production a GCS bucket (`NBA_MODEL_STORE=gcs`,
`NBA_MODEL_BUCKET`). The model file is named by its hash and written before the metadata that
points to it, each atomically, so a reader finds the previous complete model or the new one.
"""

from __future__ import annotations

import json
from pathlib import Path

from dagster import ConfigurableIOManager, InputContext, OutputContext
from pydantic import Field

from resources.files import atomic_write
from resources.model_files import StoredModel


class ModelStore(ConfigurableIOManager):
    """IO manager for `StoredModel` artifacts (local folder, or a GCS bucket in production)."""

    base_dir: str = Field(description="Local folder for models ($NBA_DATA_DIR/models); unused with a bucket")
    gcs_bucket: str | None = Field(default=None, description="GCS bucket (env NBA_MODEL_BUCKET) when NBA_MODEL_STORE=gcs")

    def _key(self, context: OutputContext | InputContext, partition: str | None) -> str:
        return "/".join([*context.asset_key.path, partition or "unpartitioned"])

    def _write(self, key: str, name: str, data: bytes) -> None:
        if self.gcs_bucket:
            from google.cloud import storage

            storage.Client().bucket(self.gcs_bucket).blob(f"{key}/{name}").upload_from_string(data)
            return
        atomic_write(Path(self.base_dir) / key / name, data)

    def _read(self, key: str, name: str) -> bytes:
        if self.gcs_bucket:
            from google.cloud import storage

            from google.api_core.exceptions import NotFound

            try:
                return storage.Client().bucket(self.gcs_bucket).blob(f"{key}/{name}").download_as_bytes()
            except NotFound as missing:  # the same signal as a missing local file: no model for that partition
                raise FileNotFoundError(f"no model at gs://{self.gcs_bucket}/{key}/{name}: materialise that partition of the model first") from missing
        path = Path(self.base_dir) / key / name
        if not path.exists():
            raise FileNotFoundError(f"no model at {path}: materialise that partition of the model first")
        return path.read_bytes()

    def handle_output(self, context: OutputContext, obj: StoredModel) -> None:
        key = self._key(context, context.partition_key if context.has_partition_key else None)
        if obj.model is not None and obj.file is None:
            raise ValueError(f"{key}: a model without its file (build it with StoredModel.of)")
        if obj.file is not None:
            self._write(key, f"model-{obj.metadata['file_hash'][:16]}.cbm", obj.file)
        self._write(key, "metadata.json", json.dumps(obj.metadata, sort_keys=True, indent=1).encode())
        context.add_output_metadata({"artifact": f"gs://{self.gcs_bucket}/{key}" if self.gcs_bucket else str(Path(self.base_dir) / key)})

    def _load_one(self, context: InputContext, partition: str) -> StoredModel:
        key = self._key(context, partition)
        metadata = json.loads(self._read(key, "metadata.json"))
        file = self._read(key, f"model-{metadata['file_hash'][:16]}.cbm") if metadata.get("file_hash") else None
        return StoredModel.read(metadata, file, key)

    def load_input(self, context: InputContext) -> StoredModel | dict[str, StoredModel]:
        """One model, or {partition: model} of the stored ones when the input spans several
        partitions (a range run over weeks without games, whose models were never trained)."""
        if not context.has_asset_partitions:
            return self._load_one(context, None)
        keys = context.asset_partition_keys
        if len(keys) == 1:
            return self._load_one(context, keys[0])
        models = {}
        for key in keys:
            try:
                models[key] = self._load_one(context, key)
            except FileNotFoundError:
                continue
        return models
