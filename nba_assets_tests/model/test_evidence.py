"""The gate at offered prices: only a system whose out-of-sample picks paid at the books' prices may pick."""

import numpy as np
import pandas as pd

from nba_assets.model.evidence import MIN_EVIDENCE_PICKS, no_edge_reason, offered_record, priced_picks, system_evidence
from nba_assets.model.probability import MARKET, PointsCurve
from nba_assets.model.training import with_market
from nba_assets_tests.model.conftest import synthetic_offers, synthetic_rows


def validation(signal: float, seed: int = 7, offers=None) -> pd.DataFrame:
    """Rows whose line is the median of what happens (over and under each 50%), with the books'
    consensus mean of `offers` (fair books by default); `mean` knows `signal` of what the line misses."""
    rows = synthetic_rows(dates=40, players=120, seed=seed)
    rng = np.random.default_rng(seed)
    surprise = rng.normal(0, 3, len(rows))
    rows["actual_points"] = (rows["vegas_points_line"] + 0.5 + np.floor(surprise + rng.normal(0, 4, len(rows)))).clip(lower=0)
    rows = with_market(rows, synthetic_offers(rows) if offers is None else offers(rows))
    rows["mean"] = rows["market_mean"] + signal * surprise
    return rows


def test_a_system_that_knows_more_than_the_line_earns_its_picks_at_minus_110():
    rows = validation(signal=0.9)
    record = system_evidence("catboost", rows, synthetic_offers(rows), rows["vegas_points_line"])
    assert record["beats_the_market"] and record["picks"] >= MIN_EVIDENCE_PICKS and record["roi"] > 0 and record["roi_interval"][0] > 0
    assert no_edge_reason("catboost", record) is None


def test_a_system_that_knows_nothing_more_does_not():
    rows = validation(signal=0.0)
    record = system_evidence("catboost", rows, synthetic_offers(rows), rows["vegas_points_line"])
    assert not record["beats_the_market"]
    assert no_edge_reason("catboost", record).startswith("no edge: catboost")


def test_the_market_against_its_own_prices_finds_nothing_to_bet_but_a_stale_soft_book():
    rows = validation(signal=0.0)
    assert system_evidence(MARKET, rows, synthetic_offers(rows), rows["vegas_points_line"])["picks"] == 0  # every price carries the vig
    soft = {"pinnacle": (0.0, -105, -105), "draftkings": (0.0, -110, -110), "fanduel": (0.0, -110, -110), "betrivers": (-2.0, -110, -110)}
    rows = validation(signal=0.0, offers=lambda rows: synthetic_offers(rows, soft))
    picks = priced_picks(rows, synthetic_offers(rows, soft), MARKET, PointsCurve(), 0.0)
    soft_picks = picks[picks["bookmaker"] == "betrivers"]
    assert len(soft_picks) > len(picks) / 2 and set(soft_picks["side"]) == {"OVER"}  # its stale line two points low: take its over


def test_the_record_settles_at_the_offered_price():
    picks = pd.DataFrame({"result": ["win", "loss", "push", "win"], "return": [0.909, -1.0, 0.0, 1.5]})
    record = offered_record(picks)
    assert record["picks"] == 4 and (record["wins"], record["losses"], record["pushes"]) == (2, 1, 1)
    assert record["roi"] == np.mean([0.909, -1.0, 0.0, 1.5]) and not record["beats_the_market"]  # too few picks
    assert "no out-of-sample record" in no_edge_reason("catboost", None)
