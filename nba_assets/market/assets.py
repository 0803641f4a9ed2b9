"""The `prop_offers` asset: every book's offers of the game date, on the board a pick is made on and at the close."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, MetadataValue, Output

from nba_assets.market.consensus import consensus
from nba_assets.market.offers import OFFER_COLUMNS, board, board_offers, refusal_text, refused_quotes
from nba_assets.tables import table_asset

GROUP = "market"


@table_asset(group=GROUP, columns=OFFER_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
             ins={"raw_player_props": AssetIn(), "player_registry": AssetIn()})
def prop_offers(context: AssetExecutionContext, raw_player_props: pd.DataFrame, player_registry: pd.DataFrame) -> Output[pd.DataFrame]:
    """Every book's player-points offers of the game date: one row per player, book, line and board,
    with both sides' American prices, the no-vig fair probability of each side (multiplicative devig;
    a line priced on one side only is kept, not devigged), the book's margin and whether it is the
    book's main line. Two boards: `decision`, each book's latest snapshot before the pick's lock (30
    minutes before tip: what a pick is made on), and `closing`, its latest snapshot before tip (the
    closing line, for closing-line value). Quotes whose price cannot be bet at (missing, zero,
    between -100 and +100) are refused and listed by book, player, event and snapshot; the rest of
    the slate goes on. Pick'em sites are priced as a leg of a 2-pick Power Play (-137)."""
    names = player_registry[player_registry["source"] == "odds"]
    frame = board_offers(raw_player_props, names)
    refused = refused_quotes(raw_player_props)
    decision = board(frame, "decision")
    market = consensus(decision)
    later = closing_boards_later(frame)
    return Output(
        frame,
        metadata={
            "rows": len(frame),
            "books": MetadataValue.json(decision.groupby("bookmaker")["player_name"].nunique().to_dict() if len(decision) else {}),
            "players_priced": len(market),
            "players_with_a_sharp_book": int((market["sharp_books"] > 0).sum()) if len(market) else 0,
            "one_sided_offers": int(decision["fair_over"].isna().sum()) if len(decision) else 0,
            "closing_boards_after_the_decision": later,
            "refused_quotes": len(refused),
            "refused": MetadataValue.md("\n".join(f"- {t}" for t in refusal_text(refused.head(30))) or "none"),
            "preview": MetadataValue.md(market.head(10).to_markdown(index=False) if len(market) else "(no offers)"),
        },
    )


def closing_boards_later(offers: pd.DataFrame) -> int:
    """How many book-player boards were updated between the decision and the close (what CLV can be measured on)."""
    if offers.empty:
        return 0
    times = offers.groupby(["game_id", "player_name", "bookmaker", "board"])["board_at_utc"].max().unstack("board")
    if not {"decision", "closing"} <= set(times.columns):
        return 0
    return int((times["closing"] > times["decision"]).sum())


MARKET_ASSETS = [prop_offers]
