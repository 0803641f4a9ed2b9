"""nba-assets: the Dagster code location for NBA player-points props (see `nba_assets.definitions`)."""
