"""The point-in-time feature store: one row per player with a game, under a versioned contract."""
