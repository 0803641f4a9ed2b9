"""Pictures of a system's record for the UI: hit rate by edge bucket, and the calibration curve."""

from __future__ import annotations

import base64
import io

import pandas as pd

from nba_assets.grading.performance import EDGE_BUCKETS


def performance_png(record: pd.DataFrame, period: str = "season") -> bytes:
    """A PNG with two panels for `period`: hit rate by edge bucket per system, and mean confidence
    against observed win rate by confidence decile (on the diagonal when calibrated)."""
    import matplotlib  # half a second to import: only when a picture is drawn, not when the code location loads

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = record[record["period"] == period]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=90)
    systems = sorted(rows["system_id"].unique())
    width = 0.8 / max(len(systems), 1)
    labels = [label for _, _, label in EDGE_BUCKETS]
    for i, system in enumerate(systems):
        buckets = rows[(rows["system_id"] == system) & (rows["segment_type"] == "edge_bucket")].set_index("segment").reindex(labels)
        left.bar([x + i * width for x in range(len(labels))], buckets["hit_rate"].fillna(0), width, label=system)
        deciles = rows[(rows["system_id"] == system) & (rows["segment_type"] == "confidence_decile")]
        right.plot(deciles["mean_confidence"], deciles["hit_rate"], marker="o", label=system)
    left.axhline(0.524, color="grey", linestyle="--", linewidth=1, label="break-even at -110")
    left.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(labels))], labels)
    left.set_ylim(0, 1)
    left.set_title(f"Hit rate by edge bucket ({period})")
    left.legend(fontsize=8)
    right.plot([0.5, 1], [0.5, 1], color="grey", linestyle="--", linewidth=1)
    right.set_xlabel("confidence (decile mean)")
    right.set_ylabel("observed win rate")
    right.set_title("Calibration")
    right.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def markdown_image(png: bytes, alt: str) -> str:
    """Markdown that shows the PNG inline in the Dagster UI."""
    return f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})"
