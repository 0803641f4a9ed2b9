"""nba-assets: the Dagster code location for NBA player-points props (see `nba_assets.definitions`)."""

import warnings

from dagster import BetaWarning, PreviewWarning

# Known and chosen: backfill policies, partition mappings over missing history and partitioned
# asset checks are the Dagster features DESIGN §8 prescribes; their maturity labels are not news.
warnings.filterwarnings("ignore", category=BetaWarning, message=r".*(backfill_policy|allow_nonexistent_upstream_partitions).*")
warnings.filterwarnings("ignore", category=PreviewWarning, message=r".*partitions_def on an AssetCheckSpec.*")
