"""Pictures of the systems' records for the UI: hit rate by edge bucket and calibration; cumulative
units and closing-line value."""

from __future__ import annotations

import base64
import io

import pandas as pd

from nba_assets.grading.performance import EDGE_BUCKETS
from nba_assets.picks import BREAK_EVEN


def _pyplot():
    import matplotlib  # half a second to import: only when a picture is drawn, not when the code location loads

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(figure) -> bytes:
    plt = _pyplot()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def performance_png(record: pd.DataFrame, period: str = "season") -> bytes:
    """A PNG with two panels for `period`: hit rate by edge bucket per system, and mean probability
    against observed win rate by probability decile (on the diagonal when calibrated)."""
    plt = _pyplot()
    rows = record[record["period"] == period]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=90)
    systems = sorted(rows["system_id"].unique())
    width = 0.8 / max(len(systems), 1)
    labels = [label for _, _, label in EDGE_BUCKETS]
    for i, system in enumerate(systems):
        buckets = rows[(rows["system_id"] == system) & (rows["segment_type"] == "edge_bucket")].set_index("segment").reindex(labels)
        left.bar([x + i * width for x in range(len(labels))], buckets["hit_rate"].fillna(0), width, label=system)
        deciles = rows[(rows["system_id"] == system) & (rows["segment_type"] == "probability_decile")]
        right.plot(deciles["mean_probability"], deciles["hit_rate"], marker="o", label=system)
    left.axhline(BREAK_EVEN, color="grey", linestyle="--", linewidth=1, label="break-even at -110")
    left.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(labels))], labels)
    left.set_ylim(0, 1)
    left.set_title(f"Hit rate by edge bucket ({period})")
    left.legend(fontsize=8)
    right.plot([0.5, 1], [0.5, 1], color="grey", linestyle="--", linewidth=1)
    right.set_xlabel("probability of the pick (decile mean)")
    right.set_ylabel("observed win rate")
    right.set_title("Calibration")
    right.legend(fontsize=8)
    return _png(figure)


def units_png(grades: pd.DataFrame) -> bytes:
    """A PNG with two panels over the dates of `grades`: each system's cumulative units won at its
    stakes, and its picks' running mean closing-line value against the consensus (probability points)."""
    plt = _pyplot()
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=90)
    picks = grades[grades["pick_return"].notna()]
    for system, rows in picks.groupby("system_id"):
        daily = rows.groupby("game_date").agg(units=("units", "sum"), clv=("clv_prob_market", "sum"), clv_n=("clv_prob_market", "count"))
        left.plot(daily.index, daily["units"].cumsum(), label=system)
        known = daily["clv_n"].cumsum()
        right.plot(daily.index, 100 * daily["clv"].cumsum() / known.where(known > 0), label=system)
    left.axhline(0, color="grey", linestyle="--", linewidth=1)
    left.set_title("Cumulative units won")
    right.axhline(0, color="grey", linestyle="--", linewidth=1)
    right.set_title("Mean closing-line value (probability points)")
    for axis in (left, right):
        axis.tick_params(axis="x", labelrotation=30, labelsize=7)
        if picks["system_id"].nunique():
            axis.legend(fontsize=8)
    return _png(figure)


def markdown_image(png: bytes, alt: str) -> str:
    """Markdown that shows the PNG inline in the Dagster UI."""
    return f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})"
