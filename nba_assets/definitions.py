"""The nba-assets code location: the one `Definitions` object `dagster dev` loads."""

from dagster import Definitions

from nba_assets.raw import RAW_ASSETS
from resources.settings import resource_defs


def build_defs() -> Definitions:
    """The code location's definitions, configured from the environment as it is now."""
    return Definitions(assets=RAW_ASSETS, resources=resource_defs())


defs = build_defs()
