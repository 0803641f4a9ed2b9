"""The nba-assets code location: the one `Definitions` object `dagster dev` loads."""

from dagster import Definitions

from nba_assets.raw import RAW_ASSETS
from resources.settings import resource_defs

defs = Definitions(assets=RAW_ASSETS, resources=resource_defs())
