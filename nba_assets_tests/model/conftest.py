"""A small synthetic feature frame with actual points, shaped like the feature store."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.features.contract import FEATURE_CONTRACT


def synthetic_rows(dates: int = 45, players: int = 100, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-11-01", periods=dates, freq="D")
    n = dates * players
    frame = pd.DataFrame({name: rng.normal(10, 3, n) for name in FEATURE_CONTRACT.names})
    skill = rng.gamma(2.0, 5.0, players)
    frame["points_avg_last_5"] = np.tile(skill, dates) + rng.normal(0, 2, n)
    frame["points_avg_last_10"] = np.tile(skill, dates) + rng.normal(0, 1, n)
    frame["points_avg_season"] = np.tile(skill, dates)
    frame["has_vegas_line"] = 1.0
    frame["vegas_points_line"] = np.round(np.tile(skill, dates) * 2) / 2 + 0.5
    frame["game_date"] = np.repeat(days, players)
    frame["game_id"] = [f"{d:%Y%m%d}_AAA_BBB" for d in frame["game_date"]]
    frame["player_lookup"] = np.tile([f"p{i}" for i in range(players)], dates)
    frame["team_abbr"], frame["opponent_abbr"] = "BBB", "AAA"
    frame["defaulted_features"] = ""
    frame["actual_points"] = np.maximum(0, np.round(np.tile(skill, dates) + 0.3 * (frame["home_away"] - 10) + rng.normal(0, 4, n)))
    return frame


@pytest.fixture(scope="session")
def rows():
    return synthetic_rows()


def synthetic_offers(rows: pd.DataFrame, books: dict[str, tuple[float, int, int]] | None = None) -> pd.DataFrame:
    """Decision-board offers of each row's player at his real line: per book (line shift, over price, under price)."""
    from nba_assets.market.prices import devig

    books = books or {"draftkings": (0.0, -110, -110), "fanduel": (0.0, -110, -110), "pinnacle": (0.0, -105, -105)}
    frames = []
    for book, (shift, over, under) in books.items():
        frame = rows[["game_date", "game_id", "player_lookup"]].assign(
            player_name=rows["player_lookup"], bookmaker=book, board="decision", line=rows["vegas_points_line"] + shift,
            over_price=over, under_price=under, is_main=True, sharp=book == "pinnacle", pickem=False, board_at_utc=rows["game_date"],
            snapshot_at_utc=rows["game_date"], tip_time_utc=rows["game_date"] + pd.Timedelta(hours=24))
        frames.append(frame)
    offers = pd.concat(frames, ignore_index=True)
    offers["fair_over"], offers["fair_under"] = devig(offers["over_price"], offers["under_price"])
    return offers.astype({"over_price": "Int64", "under_price": "Int64"})


@pytest.fixture(scope="session")
def offers(rows):
    return synthetic_offers(rows)
