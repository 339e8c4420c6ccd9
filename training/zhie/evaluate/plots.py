"""Plots of report figures (matplotlib, Agg), each drawn only from a plain data dict.

The data dicts are what metrics.json keeps under "plots", so a plot can be re-drawn from the
metrics file and checked against it.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def grouped_bars(data: dict) -> Figure:
    """data: {"title", "ylabel", "categories": [...], "series": {name: [value or None, ...]}}.

    A None value draws no bar (the system does not support that category)."""
    categories, series = data["categories"], data["series"]
    names = list(series)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(categories) * max(1, len(names)) / 2 + 2), 4))
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        xs = [c + (i - (len(names) - 1) / 2) * width for c in range(len(categories))]
        points = [(x, v) for x, v in zip(xs, series[name], strict=True) if v is not None]
        ax.bar([p[0] for p in points], [p[1] for p in points], width=width, label=name, gid=name)
    ax.set_xticks(range(len(categories)), categories, rotation=30 if len(categories) > 6 else 0, ha="right"
                  if len(categories) > 6 else "center")
    ax.set_ylim(0, 1.0)
    ax.set_ylabel(data.get("ylabel", "F1"))
    ax.set_title(data.get("title", ""))
    ax.legend(fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def heatmap(data: dict) -> Figure:
    """data: {"title", "labels": [...], "matrix": rows = gold, columns = predicted}."""
    labels, matrix = data["labels"], data["matrix"]
    fig, ax = plt.subplots(figsize=(1.0 + 0.7 * len(labels), 0.8 + 0.6 * len(labels)))
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(data.get("title", ""))
    peak = max((max(row) for row in matrix), default=0)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            if value:
                ax.text(c, r, str(value), ha="center", va="center", fontsize=8,
                        color="white" if value > peak / 2 else "black")
    fig.colorbar(image, ax=ax, fraction=0.046)
    fig.tight_layout()
    return fig


def learning_curve(data: dict) -> Figure:
    """data: {"title", "percent": [...], "micro_f1": [...], "per_label": {label: [...]}}."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot(data["percent"], data["micro_f1"], marker="o", linewidth=2.5, label="micro F1", gid="micro")
    for label, values in sorted(data.get("per_label", {}).items()):
        points = [(x, v) for x, v in zip(data["percent"], values, strict=True) if v is not None]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=".", alpha=0.7, label=label, gid=label)
    ax.set_xlabel("% of the weakly-labelled training text")
    ax.set_ylabel("entity F1 (exact span)")
    ax.set_ylim(0, 1.0)
    ax.set_title(data.get("title", ""))
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


DRAWERS = {"grouped_bars": grouped_bars, "heatmap": heatmap, "learning_curve": learning_curve}


def draw(plot: dict) -> Figure:
    """plot: {"type": one of DRAWERS, "data": {...}}."""
    return DRAWERS[plot["type"]](plot["data"])


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # No Software/date metadata: the same data gives the same bytes.
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def png_base64(plot: dict) -> str:
    return base64.b64encode(png_bytes(draw(plot))).decode("ascii")
