"""Asset checks of the points model: contract, honest use, determinism."""

from datetime import date

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSpec, asset_check

from nba_assets.features.contract import FEATURE_CONTRACT
from nba_assets.model.artifact import PointsModel
from nba_assets.partitions import model_weeks
from nba_assets.model.training import train_points_model
from resources.model_files import StoredModel


def contract_problem(model: PointsModel) -> str | None:
    """Why the artifact's feature contract differs from the serving one (names, order, version), or None."""
    if model.contract == FEATURE_CONTRACT:
        return None
    trained, serving = list(model.contract.names), list(FEATURE_CONTRACT.names)
    if trained == serving:
        return f"same names, but version {model.contract.version} != {FEATURE_CONTRACT.version}"
    if sorted(trained) == sorted(serving):
        first = next(i for i, (a, b) in enumerate(zip(trained, serving)) if a != b)
        return f"same names in another order: position {first} is {trained[first]!r} in the model, {serving[first]!r} when serving"
    return f"names differ: only in the model {sorted(set(trained) - set(serving))}, only when serving {sorted(set(serving) - set(trained))}"


def use_problem(model: PointsModel) -> str | None:
    """Why the model's `used` flag is wrong: it must be used exactly when trained and better than the baseline."""
    meta = model.metadata
    better = not model.cold_start and meta["validation"]["mae_model"] < meta["validation"]["mae_baseline"]
    if model.used and not better:
        return "the model is marked as used but does not beat the baseline on its validation window (or is a cold start)"
    if better and not model.used:
        return "the model beats the baseline but is not used"
    return None


@asset_check(asset="points_model", blocking=True, partitions_def=model_weeks,
             description="The artifact's feature contract (names, order, version) equals the serving contract.")
def points_model_contract_matches_serving(points_model: StoredModel) -> AssetCheckResult:
    points_model = PointsModel.served(points_model)
    problem = contract_problem(points_model)
    return AssetCheckResult(passed=problem is None, metadata={"model_contract": points_model.contract.version, "serving_contract": FEATURE_CONTRACT.version,
                                                              "problem": problem or "none"})


@asset_check(asset="points_model", blocking=True, partitions_def=model_weeks,
             description="The model recommends only if it beats the moving-average baseline on its own validation window.")
def points_model_beats_baseline_or_is_not_used(points_model: StoredModel) -> AssetCheckResult:
    points_model = PointsModel.served(points_model)
    problem = use_problem(points_model)
    validation = points_model.metadata["validation"]
    return AssetCheckResult(
        passed=problem is None,
        metadata={"used": points_model.used, "cold_start": points_model.cold_start, "problem": problem or "none",
                  "mae_model": validation.get("mae_model", float("nan")), "mae_baseline": validation.get("mae_baseline", float("nan"))},
    )


DETERMINISM_EVERY = 4  # weeks: one model in four is trained again to prove it is reproducible

DETERMINISM_SPEC = AssetCheckSpec(
    "points_model_is_deterministic", asset="points_model", blocking=True, partitions_def=model_weeks,
    description=f"Determinism: on one week in {DETERMINISM_EVERY} (ISO week number divisible by {DETERMINISM_EVERY}), training again on "
    "the same rows and offers reproduces the model's validation predictions (their hash), version, probability curves and blend weight "
    "exactly; other weeks are not retrained.",
)


def retrained_for_determinism(serves_from: date) -> bool:
    """Whether the model serving from `serves_from` is one of the sampled weeks trained twice."""
    return serves_from.isocalendar().week % DETERMINISM_EVERY == 0


def determinism_result(model: PointsModel, rows: pd.DataFrame, offers: pd.DataFrame | None = None, sampled: bool | None = None) -> AssetCheckResult:
    """Evaluated by the asset itself, on the training rows it used (asset checks' own inputs cannot
    follow the model's training-window mapping). `sampled` defaults to the week's turn."""
    serves_from = pd.Timestamp(model.metadata["serves_from"]).date()
    if model.cold_start:
        return AssetCheckResult(check_name=DETERMINISM_SPEC.name, passed=True, metadata={"retrained": False, "note": "cold start: no model to retrain"})
    if not (retrained_for_determinism(serves_from) if sampled is None else sampled):
        return AssetCheckResult(check_name=DETERMINISM_SPEC.name, passed=True,
                                metadata={"retrained": False, "note": f"not this week's turn: one week in {DETERMINISM_EVERY} is trained again"})
    again = train_points_model(rows, serves_from, offers)
    stored, retrained = model.metadata["validation"]["predictions_sha256"], again.metadata["validation"]["predictions_sha256"]
    same_version = again.version == model.version
    same_curves = again.metadata.get("probability") == model.metadata.get("probability") and again.blend_weight == model.blend_weight
    return AssetCheckResult(check_name=DETERMINISM_SPEC.name, passed=stored == retrained and same_version and same_curves,
                            metadata={"retrained": True, "same_predictions": stored == retrained, "same_version": same_version,
                                      "same_probability_curves": same_curves})


MODEL_CHECKS = [points_model_contract_matches_serving, points_model_beats_baseline_or_is_not_used]
