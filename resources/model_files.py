"""Trained models as the model store keeps them: the metadata that travels with a model, and
CatBoost's own file of it, serialised and hashed once when the model is trained."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from catboost import CatBoostRegressor


def file_hash(data: bytes) -> str:
    """The sha256 of `data`, hex: names a model file and proves it intact when read back."""
    return hashlib.sha256(data).hexdigest()


def model_bytes(model: CatBoostRegressor) -> bytes:
    """CatBoost's own binary format, as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.cbm"
        model.save_model(str(path))
        return path.read_bytes()


def load_model(data: bytes) -> CatBoostRegressor:
    """The model in CatBoost file `data`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.cbm"
        path.write_bytes(data)
        model = CatBoostRegressor()
        model.load_model(str(path))
        return model


@dataclass
class StoredModel:
    """A model with its metadata and CatBoost's file of it (`metadata["file_hash"]` is the file's
    sha256; a cold start has neither model nor file). Build a trained one with `of`."""

    metadata: dict
    model: CatBoostRegressor | None = None
    file: bytes | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, metadata: dict, model: CatBoostRegressor | None):
        """`model` with `metadata`, its file serialised and hashed here, once."""
        file = model_bytes(model) if model is not None else None
        return cls(metadata={**metadata, "file_hash": file_hash(file) if file is not None else None}, model=model, file=file)

    @classmethod
    def read(cls, metadata: dict, file: bytes | None, where: str):
        """A stored model from its metadata and file as read back from `where`; a file that is not
        the one the metadata names is refused."""
        if file is not None and file_hash(file) != metadata.get("file_hash"):
            raise ValueError(f"model file of {where} does not match its recorded hash: the artifact is corrupt")
        return cls(metadata=metadata, model=load_model(file) if file is not None else None, file=file)
