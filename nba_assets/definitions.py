"""The nba-assets code location: the one `Definitions` object `dagster dev` loads."""

from dagster import Definitions, ResourceDefinition, in_process_executor

from nba_assets.analytics.assets import ANALYTICS_ASSETS
from nba_assets.analytics.checks import ANALYTICS_CHECKS
from nba_assets.automation.deadlines import DEADLINE_CHECKS
from nba_assets.automation.jobs import JOBS
from nba_assets.automation.policies import with_policies
from nba_assets.automation.schedules import SCHEDULES
from nba_assets.automation.sensors import SENSORS
from nba_assets.features.assets import feature_store
from nba_assets.features.checks import FEATURE_CHECKS
from nba_assets.grading.assets import prediction_grades, system_performance
from nba_assets.grading.checks import GRADING_CHECKS
from nba_assets.health.assets import health_report
from nba_assets.market.assets import MARKET_ASSETS
from nba_assets.market.checks import MARKET_CHECKS
from nba_assets.model.assets import points_model
from nba_assets.model.checks import MODEL_CHECKS
from nba_assets.predictions.assets import predictions
from nba_assets.predictions.checks import PREDICTION_CHECKS
from nba_assets.publishing.assets import EXPORT_ASSETS
from nba_assets.raw import RAW_ASSETS
from nba_assets.raw.checks import RAW_CHECKS
from resources.settings import resource_defs

ASSETS = with_policies(
    [*RAW_ASSETS, *ANALYTICS_ASSETS, *MARKET_ASSETS, feature_store, points_model, predictions, prediction_grades, system_performance, *EXPORT_ASSETS, health_report]
)
ASSET_GRAPH_DESCRIPTION = "The code location's assets and checks, resolved (read by the reconciliation and alert sensors and the health report)."
CHECKS = [*RAW_CHECKS, *ANALYTICS_CHECKS, *MARKET_CHECKS, *FEATURE_CHECKS, *MODEL_CHECKS, *PREDICTION_CHECKS, *GRADING_CHECKS, *DEADLINE_CHECKS]


def build_defs() -> Definitions:
    """The code location's definitions, configured from the environment as it is now.

    Runs execute their steps in the run's own process: every step holds the one `duckdb` pool slot
    anyway, so a process per step would buy no parallelism and cost seconds of start-up each.

    The `asset_graph` resource hands this code location's asset graph to what reads the instance's
    record of its assets and checks (the reconciliation and alert sensors, the health report), so
    nothing below this module imports it.
    """
    resources = {**resource_defs(), "asset_graph": ResourceDefinition(lambda _: defs.resolve_asset_graph(), description=ASSET_GRAPH_DESCRIPTION)}
    defs = Definitions(
        assets=ASSETS, asset_checks=CHECKS, jobs=JOBS, schedules=SCHEDULES, sensors=SENSORS, resources=resources, executor=in_process_executor,
    )
    return defs


defs = build_defs()
