"""Asset checks of the offers: prices that can be bet at, fair probabilities that add up, no quote at or after tip."""

import numpy as np
import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetIn, MetadataValue, asset_check

from nba_assets.market.offers import OFFER_KEY, PICK_LOCK, refusal_text, refused_quotes
from nba_assets.market.prices import valid_american
from nba_assets.partitions import game_date_partitions
from nba_assets.quality import table_checks

TOLERANCE = 1e-9


def invalid_prices(offers: pd.DataFrame) -> pd.DataFrame:
    """Stored offers with a price that is not a valid American price, or with no price on either side."""
    over, under = offers["over_price"], offers["under_price"]
    bad_over = over.notna().to_numpy() & ~valid_american(over)
    bad_under = under.notna().to_numpy() & ~valid_american(under)
    return offers[bad_over | bad_under | (over.isna() & under.isna()).to_numpy()]


@asset_check(asset="prop_offers", blocking=True, partitions_def=game_date_partitions, additional_ins={"raw_player_props": AssetIn("raw_player_props")},
             description="Every stored price is a valid American price (at or below -100, at or above +100); quotes the books sent "
             "with a price that cannot be bet at were refused and are listed (a warning: the rest of the slate goes on).")
def prop_offers_prices_valid(prop_offers: pd.DataFrame, raw_player_props: pd.DataFrame) -> AssetCheckResult:
    stored = invalid_prices(prop_offers)
    refused = refused_quotes(raw_player_props)
    return AssetCheckResult(
        passed=stored.empty and refused.empty, severity=AssetCheckSeverity.ERROR if len(stored) else AssetCheckSeverity.WARN,
        metadata={"invalid_stored_offers": len(stored), "refused_quotes": len(refused),
                  "refused": MetadataValue.md("\n".join(f"- {t}" for t in refusal_text(refused.head(30))) or "none"),
                  "invalid": MetadataValue.md(stored.head(10)[OFFER_KEY].to_markdown(index=False) if len(stored) else "none")},
    )


@asset_check(asset="prop_offers", blocking=True, partitions_def=game_date_partitions,
             description="The fair probabilities of a devigged offer's two sides lie in (0, 1) and sum to 1; an offer priced on one side has none.")
def prop_offers_fair_probabilities(prop_offers: pd.DataFrame) -> AssetCheckResult:
    over, under = prop_offers["fair_over"].astype(float), prop_offers["fair_under"].astype(float)
    two_sided = prop_offers["over_price"].notna() & prop_offers["under_price"].notna()
    wrong_sum = two_sided & ~np.isclose(over + under, 1.0, rtol=0, atol=TOLERANCE)
    out_of_range = two_sided & ~((over > 0) & (over < 1) & (under > 0) & (under < 1))
    one_sided_devigged = ~two_sided & (over.notna() | under.notna())
    bad = prop_offers[wrong_sum | out_of_range | one_sided_devigged]
    return AssetCheckResult(passed=bad.empty, metadata={"devigged": int(two_sided.sum()), "bad": len(bad),
                                                        "examples": MetadataValue.md(bad.head(10)[[*OFFER_KEY, "fair_over", "fair_under"]].to_markdown(index=False) if len(bad) else "none")})


@asset_check(asset="prop_offers", blocking=True, partitions_def=game_date_partitions,
             description="No quote at or after tip: every offer was snapshotted before its game's tip, a decision-board offer before the pick's lock (30 minutes before tip).")
def prop_offers_before_tip(prop_offers: pd.DataFrame) -> AssetCheckResult:
    after_tip = prop_offers["snapshot_at_utc"] >= prop_offers["tip_time_utc"]
    after_lock = (prop_offers["board"] == "decision") & (prop_offers["snapshot_at_utc"] >= prop_offers["tip_time_utc"] - PICK_LOCK)
    bad = prop_offers[after_tip | after_lock]
    return AssetCheckResult(passed=bad.empty, metadata={"offers": len(prop_offers), "at_or_after_tip": int(after_tip.sum()), "decision_after_lock": int(after_lock.sum()),
                                                        "examples": MetadataValue.md(bad.head(10)[[*OFFER_KEY, "snapshot_at_utc", "tip_time_utc"]].to_markdown(index=False) if len(bad) else "none")})


MARKET_CHECKS = [*table_checks("prop_offers", OFFER_KEY, reference=("raw_player_props", "quotes")), prop_offers_prices_valid, prop_offers_fair_probabilities,
                 prop_offers_before_tip]
