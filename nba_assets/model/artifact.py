"""The trained points model as stored: CatBoost's own file and the metadata that travels with it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nba_assets.features.build import real_line
from nba_assets.features.contract import FEATURE_CONTRACT, FeatureContract
from nba_assets.model.probability import PointsCurve
from resources.model_files import StoredModel

SYSTEM_ID = "catboost"
# What the CatBoost model predicts: points minus the anchor (`anchor`). Models without a `target` in
# their metadata predicted points directly.
TARGET = "points_minus_anchor"


def anchor(features: pd.DataFrame) -> pd.Series:
    """What the model corrects: the real line where the market gave one, else the last-10 average."""
    return real_line(features).fillna(features["points_avg_last_10"]).astype(float)


class ContractMismatch(ValueError):
    """The serving feature vector is not the one the model was trained on (names or order)."""


@dataclass
class PointsModel(StoredModel):
    """A trained (or cold-start) points model with everything needed to serve and judge it."""

    @classmethod
    def served(cls, stored: StoredModel | dict[str, StoredModel]) -> PointsModel | dict[str, PointsModel]:
        """The model(s) the model store loaded, ready to serve: one, or one per week of a range."""
        if isinstance(stored, dict):
            return {week: cls.served(model) for week, model in stored.items()}
        return cls(metadata=stored.metadata, model=stored.model, file=stored.file)

    @property
    def contract(self) -> FeatureContract:
        return FeatureContract(self.metadata["feature_contract_version"], tuple(self.metadata["feature_names"]))

    @property
    def cold_start(self) -> bool:
        return bool(self.metadata["cold_start"])

    @property
    def used(self) -> bool:
        """Whether the CatBoost system may recommend: trained, and better than the baseline on validation."""
        return bool(self.metadata["used"])

    @property
    def version(self) -> str:
        return self.metadata["model_version"]

    def curve(self, system: str) -> PointsCurve:
        """The probability curve of `system` around its prediction (flat, 50% at every line, where none was fitted: no evidence, no confidence)."""
        fitted = self.metadata.get("probability", {}).get(system)
        return PointsCurve.from_dict(fitted) if fitted else PointsCurve(slope=0.0)

    @property
    def blend_weight(self) -> float | None:
        """The model's weight in the blend with the market (None without a model)."""
        weight = self.metadata.get("blend_weight")
        return None if weight is None else float(weight)

    def check_contract(self, serving: FeatureContract = FEATURE_CONTRACT) -> None:
        """Refuse to serve when the serving contract differs from the trained one, names or order."""
        if self.contract != serving:
            raise ContractMismatch(
                f"model {self.version} was trained on feature contract {self.contract.version} {list(self.contract.names)}; "
                f"serving offers {serving.version} {list(serving.names)}"
            )

    def vector(self, features: pd.DataFrame) -> pd.DataFrame:
        """The serving feature vector, in the trained order; missing columns or values are refused."""
        missing = [name for name in self.contract.names if name not in features.columns]
        if missing:
            raise ContractMismatch(f"serving features lack {missing}")
        vector = features[list(self.contract.names)].astype(float)
        bad = ~np.isfinite(vector.to_numpy())
        if bad.any():
            columns = sorted({self.contract.names[j] for j in np.nonzero(bad)[1]})
            raise ContractMismatch(f"serving features have missing or infinite values in {columns}")
        return vector

    def predict(self, features: pd.DataFrame, serving: FeatureContract = FEATURE_CONTRACT) -> np.ndarray:
        """Predicted points per row of `features` (never below zero)."""
        if self.model is None:
            raise ValueError(f"model {self.version} is a cold start: there is no CatBoost model to predict with")
        self.check_contract(serving)
        raw = self.model.predict(self.vector(features))
        if self.metadata.get("target") == TARGET:
            raw = raw + anchor(features).to_numpy()
        return np.clip(raw, 0.0, None)
