"""The results table of README.md, regenerated between two markers from metrics.json files."""

from __future__ import annotations

import json
from pathlib import Path

from zhie.evaluate.scoring import RELATION_LABELS
from zhie.evaluate.tables import fmt, label_score


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
            score = label_score(scores, label)
            lines.append(_row(label, name, score))
    if metrics["kind"] == "heldout":
        relations = {n: r["relations"] for n, r in metrics["pooled"].items() if r.get("relations")}
        if relations:
            lines += ["", "**Seed gold, each document held out in turn (pooled over folds), relations**", "",
                      "| relation | system | P | R | F1 |", "|---|---|---|---|---|"]
            for label in [*RELATION_LABELS, "micro"]:
                for name, scores in relations.items():
                    score = label_score(scores, label)
                    lines.append(_row(label, name, score))
    return [*lines, ""]


def _f1(score: dict | None) -> str:
    return "—" if score is None else fmt(score["f1"])


def benchmark_table(metrics: dict) -> list[str]:
    """Per label, per script and per relation type: F1 of each pipeline system (exact span; mention
    level in brackets, where the same text and label anywhere in the paragraph count)."""
    systems = {n: r for n, r in metrics["systems"].items() if r["kind"] == "pipeline"}
    names = list(systems)
    head = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines = [f"**{metrics['name']}** (`{metrics['gold']}`, {metrics['paragraphs']} paragraphs, "
             f"{metrics['gold_entities']} entities, {metrics['gold_relations']} relations): "
             "entity F1, exact span (mention level)", "", *head]
    for label in [*metrics["labels"], "micro"]:
        cells = []
        for r in systems.values():
            exact = label_score(r["entities"], label)
            mention = label_score(r["entities_mention"], label)
            cells.append(f"{_f1(exact)} ({_f1(mention)})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for script in ("simplified", "traditional"):
        if all(script in r.get("by_script", {}) for r in systems.values()) and systems:
            cells = [_f1(r["by_script"][script]["entities"]["micro"]) for r in systems.values()]
            n = next(iter(systems.values()))["by_script"][script]["paragraphs"]
            lines.append(f"| micro, {script} ({n} paragraphs) | " + " | ".join(cells) + " |")
    with_rel = {n: r for n, r in systems.items() if r.get("relations")}
    if with_rel:
        lines += ["", f"Relations ({metrics['name']}), F1 exact entity spans (mention level):", "",
                  "| | " + " | ".join(with_rel) + " |", "|---|" + "---|" * len(with_rel)]
        for label in [*RELATION_LABELS, "micro"]:
            cells = []
            for r in with_rel.values():
                scores = r["relations"]
                exact = label_score(scores, label)
                mention_scores = r.get("relations_mention") or r["relations"]
                mention = label_score(mention_scores, label)
                cells.append(f"{_f1(exact)} ({_f1(mention)})")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    given = {n: r["relations_given_gold_entities"] for n, r in systems.items()
             if r.get("relations_given_gold_entities")}
    if given:
        lines += ["", f"Relations ({metrics['name']}) given the gold's entities (the relation layer alone), "
                  "F1 (P / R):", "", "| | " + " | ".join(given) + " |", "|---|" + "---|" * len(given)]
        for label in [*RELATION_LABELS, "micro"]:
            cells = []
            for scores in given.values():
                score = label_score(scores, label)
                cells.append("—" if score is None else
                             f"{fmt(score['f1'])} ({fmt(score['precision'], 2)} / {fmt(score['recall'], 2)})")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
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
        if metrics["kind"] == "benchmark" and metrics.get("labels") == ["ORG"]:
            parts += cluener_table(metrics)
        elif metrics["kind"] == "benchmark":
            parts += benchmark_table(metrics)
        else:
            parts += gold_table(metrics)
        parts.append(f"(from `{path}`)\n")
    return "\n".join(parts)


def replace_marked_block(readme: Path, name: str, body: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``readme``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = readme.read_text(encoding="utf-8")
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"{readme}: needs exactly one {start} ... {end} pair")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{body}\n{end}{tail}", encoding="utf-8")


def update_readme(readme: Path, metrics_files: list[Path]) -> None:
    replace_marked_block(readme, "results", results_block(metrics_files))
