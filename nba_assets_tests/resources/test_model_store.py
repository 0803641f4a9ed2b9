"""The model store keeps CatBoost's file and its metadata, refuses a corrupt file, and loads one week or many."""

import pandas as pd
import pytest
from dagster import build_input_context, build_output_context

from nba_assets.model.artifact import PointsModel
from nba_assets.model.training import train_points_model
from nba_assets_tests.model.conftest import synthetic_rows
from resources.model_store import ModelStore


@pytest.fixture(scope="module")
def model():
    return train_points_model(synthetic_rows(), pd.Timestamp("2024-12-20").date())


def test_round_trip_and_corruption(tmp_path, model):
    store = ModelStore(base_dir=str(tmp_path))
    store.handle_output(build_output_context(asset_key="points_model", partition_key="2024-12-16"), model)
    folder = tmp_path / "points_model" / "2024-12-16"
    [file] = folder.glob("model-*.cbm")
    assert file.read_bytes() == model.file and file.name == f"model-{model.metadata['file_hash'][:16]}.cbm"  # the file training made, as it made it
    loaded = PointsModel.served(store.load_input(build_input_context(asset_key="points_model", partition_key="2024-12-16")))
    rows = synthetic_rows().head(20)
    assert loaded.metadata == model.metadata and (loaded.predict(rows) == model.predict(rows)).all()
    file.write_bytes(file.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ValueError, match="does not match its recorded hash"):
        store.load_input(build_input_context(asset_key="points_model", partition_key="2024-12-16"))


def test_a_missing_model_names_what_to_materialise(tmp_path):
    with pytest.raises(FileNotFoundError, match="materialise that partition of the model first"):
        ModelStore(base_dir=str(tmp_path)).load_input(build_input_context(asset_key="points_model", partition_key="2024-12-16"))


def test_a_model_without_its_file_is_refused_before_anything_is_written(tmp_path, model):
    bare = PointsModel(metadata=model.metadata, model=model.model)
    with pytest.raises(ValueError, match="a model without its file"):
        ModelStore(base_dir=str(tmp_path)).handle_output(build_output_context(asset_key="points_model", partition_key="2024-12-16"), bare)
    assert not any(tmp_path.rglob("*"))
