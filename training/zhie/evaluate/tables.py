"""Report tables as plain data, rendered both to Markdown (summary.md) and HTML (report.html)."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhie.evaluate.scoring import RELATION_LABELS
from zhie.evaluate.scripts import SCRIPTS


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def fmt(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def label_score(block: dict | None, label: str) -> dict | None:
    """The scores of one label of a score block; ``"micro"`` names the block's micro average."""
    if block is None:
        return None
    return block["micro"] if label == "micro" else block["per_label"].get(label)


def _prf_cells(score: dict | None) -> list[str]:
    if score is None:
        return ["—"] * 3
    return [fmt(score["precision"]), fmt(score["recall"]), fmt(score["f1"])]


def _count_cells(score: dict | None) -> list[str]:
    if score is None:
        return ["—"] * 3
    return [fmt(score.get("tp")), fmt(score.get("fp")), fmt(score.get("fn"))]


def per_label_table(title: str, systems: dict, key: str, labels: list[str], note: str = "") -> Table:
    table = Table(title, ["label", "system", "P", "R", "F1", "TP", "FP", "FN"], note=note)
    for label in labels:
        for name, result in systems.items():
            score = label_score(result.get(key), label)
            table.rows.append([label, name, *_prf_cells(score), *_count_cells(score)])
    return table


def overall_table(title: str, systems: dict, key: str, note: str = "") -> Table:
    table = Table(title, ["system", "labels scored", "micro P", "micro R", "micro F1", "macro F1"], note=note)
    for name, result in systems.items():
        block = result.get(key)
        table.rows.append([
            name, ", ".join(result["labels"]) if key.startswith("entities") else "relations",
            *_prf_cells(block["micro"] if block else None), fmt(block["macro"]["f1"]) if block else "—",
        ])
    return table


def benchmark_tables(metrics: dict) -> list[Table]:
    systems = metrics["systems"]
    labels = metrics["labels"]
    tables = [
        Table("Systems", ["system", "kind", "what", "labels it supports", "relations"], [
            [name, r["kind"], r["description"], ", ".join(r["labels"]), "yes" if r["relations"] else "no"]
            for name, r in systems.items()
        ]),
        overall_table("Entities, exact span (seqeval over characters of the original text)", systems,
                      "entities", "Peers are scored only on the labels their tag sets support."),
        per_label_table("Entities per label, exact span", systems, "entities", labels),
        overall_table("Entities, mention level (label + normalised simplified text per paragraph)",
                      systems, "entities_mention"),
        per_label_table("Entities per label, mention level", systems, "entities_mention", labels),
    ]
    if any(r["relations"] for r in systems.values()):
        rel_systems = {n: r for n, r in systems.items() if r["relations"]}
        tables.append(per_label_table(
            "Relations per label (exact head and tail spans; a relation whose entity was missed is a FN)",
            rel_systems, "relations", list(RELATION_LABELS),
        ))
        tables.append(Table("Relations overall", ["system", "micro P", "micro R", "micro F1", "macro F1"], [
            [n, *_prf_cells(r["relations"]["micro"]), fmt(r["relations"]["macro"]["f1"])]
            for n, r in rel_systems.items()
        ]))
    given = {n: r for n, r in systems.items() if r.get("relations_given_gold_entities")}
    if given:
        tables.append(per_label_table(
            "Relations per label given the gold's entities (the gold entities as doc.ents, then only "
            "the components that set no entities: the relation layer's own score)",
            given, "relations_given_gold_entities", [*RELATION_LABELS, "micro"],
        ))
    script_table = Table("Entities per script (exact span micro; mention micro F1)",
                         ["script", "paragraphs", "gold entities", "system", "P", "R", "F1", "mention F1"])
    for script in SCRIPTS:
        for name, result in systems.items():
            block = result["by_script"].get(script)
            if block is None:
                continue
            script_table.rows.append([
                script, str(block["paragraphs"]), str(block["gold_entities"]), name,
                *_prf_cells(block["entities"]["micro"]), fmt(block["entities_mention_micro"]["f1"]),
            ])
    tables.append(script_table)
    subset_names = sorted({k for r in systems.values() for k in r.get("subset_recall", {})})
    for subset in subset_names:
        title = f"Recall on the {subset} subset (exact span)"
        tables.append(Table(title, ["system", "recall", "found", "missed"], [
            [n, fmt(r["subset_recall"][subset]["recall"]), str(r["subset_recall"][subset]["tp"]),
             str(r["subset_recall"][subset]["fn"])]
            for n, r in systems.items() if subset in r.get("subset_recall", {})
        ]))
    tables.append(Table("Error counts (exact-span analysis)",
                        ["system", "correct", "wrong label", "boundary", "missed", "false alarm"], [
        [n, *(str(r["errors"]["counts"][k]) for k in ("correct", "wrong_label", "boundary", "missed",
                                                     "false_alarm"))]
        for n, r in systems.items()
    ]))
    tables.append(Table("Speed on this machine (same texts for every system)",
                        ["system", "characters", "seconds", "characters / second"], [
        [n, str(r["speed"]["characters"]), fmt(r["speed"]["seconds"], 2),
         f"{r['speed']['chars_per_second']:,.0f}"]
        for n, r in systems.items()
    ]))
    return tables


def heldout_tables(metrics: dict) -> list[Table]:
    pooled = metrics["pooled"]
    tables = [
        per_label_table("Held out, pooled over folds: entities per label (exact span)", pooled, "entities",
                        metrics["labels"]),
        Table("Held out, per fold: entity micro F1", ["fold", *pooled], [
            [fold["fold"], *(fmt(fold["systems"].get(s, {}).get("entities", {}).get("micro", {}).get("f1"))
                             for s in pooled)]
            for fold in metrics["folds"]
        ]),
    ]
    if any(r.get("relations") for r in pooled.values()):
        tables.append(per_label_table("Held out, pooled: relations per label", {
            n: r for n, r in pooled.items() if r.get("relations")}, "relations", list(RELATION_LABELS)))
    return tables


def to_markdown(table: Table) -> str:
    lines = [f"### {table.title}", ""]
    if table.note:
        lines += [table.note, ""]
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines) + "\n"
