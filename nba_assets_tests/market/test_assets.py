"""`prop_offers` through Dagster: a quote with a price that cannot be bet at is refused by name, the rest of the slate goes on."""

import gzip
import json

from nba_assets.analytics.assets import player_registry
from nba_assets.market.assets import prop_offers
from nba_assets.market.checks import MARKET_CHECKS
from nba_assets.raw import raw_box_scores, raw_espn_rosters, raw_games, raw_injuries, raw_odds_events, raw_player_props

PAST = "2025-01-20"
RAW = [raw_games, raw_box_scores, raw_espn_rosters, raw_injuries, raw_odds_events, raw_player_props]


def check_results(result):
    return {e.event_specific_data.check_name: e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}


def test_bad_prices_are_refused_by_book_player_event_and_snapshot_and_the_slate_goes_on(platform):
    assert platform.materialize(RAW, PAST).success
    good = platform.materialize([prop_offers, player_registry, *RAW, *MARKET_CHECKS], PAST, selection=["player_registry", "prop_offers"])
    assert all(c.passed for c in check_results(good).values())
    stored = platform.table("prop_offers")
    # the books send a price of 0, one of -50 and one without a price in the latest snapshot of an event
    [path] = sorted((platform.data_dir / "landing" / "odds_api" / "event_odds" / PAST).glob("*.json.gz"))[-1:]
    record = json.loads(gzip.decompress(path.read_bytes()))
    event = record["payload"]["data"]
    outcomes = event["bookmakers"][0]["markets"][0]["outcomes"]
    outcomes[0]["price"], outcomes[3]["price"] = 0, -50
    del outcomes[4]["price"]
    path.write_bytes(gzip.compress(json.dumps(record).encode()))
    bad = {(event["bookmakers"][0]["key"], outcomes[i]["description"]) for i in (0, 3, 4)}

    reparse = {"ops": {"raw_player_props": {"config": {"reparse": True}}}}
    assert platform.materialize([raw_player_props, raw_odds_events], PAST, run_config=reparse, selection=["raw_player_props"]).success
    raw = platform.table("raw_player_props")
    assert raw["price"].isna().sum() == 1 and (raw["price"] == 0).sum() == 1  # kept raw, as the book sent it
    result = platform.materialize([prop_offers, player_registry, *RAW, *MARKET_CHECKS], PAST, selection=["player_registry", "prop_offers"])
    assert result.success
    checks = check_results(result)
    prices = checks["prop_offers_prices_valid"]
    assert not prices.passed and prices.severity.value == "WARN" and prices.metadata["refused_quotes"].value == 3
    text = prices.metadata["refused"].value
    for book, player in bad:
        assert f"book {book}, player {player!r}" in text
    assert f"event {event['id']}" in text and "0 is not an American price" in text and "between -100 and +100" in text and "price missing" in text
    assert all(checks[name].passed for name in ("prop_offers_fair_probabilities", "prop_offers_before_tip", "prop_offers_unique_keys"))
    offers = platform.table("prop_offers")
    assert len(offers) > 0.95 * len(stored) and offers["game_id"].nunique() == stored["game_id"].nunique()  # the rest of the slate goes on
    materialized = [e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "prop_offers"][0]
    assert materialized.event_specific_data.materialization.metadata["refused_quotes"].value == 3
