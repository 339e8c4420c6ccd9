"""The results table of README.md, regenerated between two markers from metrics.json files."""

from __future__ import annotations

import json
from pathlib import Path

from zhie.evaluate.tables import fmt

START, END = "<!-- results:start -->", "<!-- results:end -->"


def _row(label: str, system: str, score: dict | None) -> str:
    if score is None:
        return f"| {label} | {system} | — | — | — |"
    return f"| {label} | {system} | {fmt(score['precision'])} | {fmt(score['recall'])} | {fmt(score['f1'])} |"


def gold_table(metrics: dict) -> list[str]:
    """Per label, model vs rules: held-out pooled figures, or a seed-gold benchmark's."""
    if metrics["kind"] == "heldout":
        title = "Seed gold, each document held out in turn (pooled over folds), entities exact span"
        systems = {n: r["entities"] for n, r in metrics["pooled"].items()}
    else:
        title = f"Seed gold ({metrics['name']}), entities exact span"
        systems = {n: r["entities"] for n, r in metrics["systems"].items() if r["kind"] == "pipeline"}
    lines = [f"**{title}**", "", "| label | system | P | R | F1 |", "|---|---|---|---|---|"]
    for label in [*metrics["labels"], "micro"]:
        for name, scores in systems.items():
            score = scores["micro"] if label == "micro" else scores["per_label"].get(label)
            lines.append(_row(label, name, score))
    return [*lines, ""]


def cluener_table(metrics: dict) -> list[str]:
    lines = ["**CLUENER2020 dev, ORG only (company + organization + government), exact span**", "",
             "| system | P | R | F1 | company-only R |", "|---|---|---|---|---|"]
    for name, r in metrics["systems"].items():
        org = r["entities"]["per_label"].get("ORG")
        company = r.get("subset_recall", {}).get("company", {}).get("recall")
        lines.append(f"| {name} | {fmt(org['precision'])} | {fmt(org['recall'])} | {fmt(org['f1'])} "
                     f"| {fmt(company)} |")
    return [*lines, ""]


def results_block(metrics_files: list[Path]) -> str:
    parts: list[str] = []
    for path in metrics_files:
        metrics = json.loads(path.read_text(encoding="utf-8"))
        cluener = metrics["kind"] == "benchmark" and metrics.get("labels") == ["ORG"]
        parts += cluener_table(metrics) if cluener else gold_table(metrics)
        parts.append(f"(from `{path}`)\n")
    return "\n".join(parts)


def update_readme(readme: Path, metrics_files: list[Path]) -> None:
    text = readme.read_text(encoding="utf-8")
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"{readme}: needs exactly one {START} ... {END} pair")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{results_block(metrics_files)}\n{END}{tail}", encoding="utf-8")
