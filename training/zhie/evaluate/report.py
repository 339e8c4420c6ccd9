"""Write a report directory: metrics.json, summary.md and a self-contained report.html."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from spacy import displacy

from zhie.evaluate.errors import ERROR_TYPES, RELATION_ERROR_TYPES
from zhie.evaluate.plots import png_base64
from zhie.evaluate.scoring import RELATION_LABELS
from zhie.evaluate.tables import Table, benchmark_tables, heldout_tables, to_markdown

COLORS = {
    "ORG": "#7aecec", "GPE": "#feca74", "PARK": "#c887fb", "PRODUCT": "#bfeeb7",
    "MONEY": "#e4e7d2", "QUANTITY": "#ffeb80",
}
ERROR_TITLES = {
    "wrong_label": "Label confusions (same span, different label)",
    "boundary": "Boundary errors (overlapping, not exact)",
    "missed": "Misses (gold span with no overlapping prediction)",
    "false_alarm": "False alarms (prediction with no overlapping gold span)",
}
RELATION_ERROR_TITLES = {
    "missed_relation": "Missed relations (gold pair not predicted: {missed_relation} in all, "
    "{missed_with_both_entities} of them with both entities found)",
    "spurious_relation": "Spurious relations (predicted pair not in the gold: {spurious_relation} in all)",
}
LEARNING_CURVE_ABSENT = (
    "No learning curve: {path} is absent (the training step writes it when run with a learning curve)."
)


def benchmark_plots(metrics: dict) -> dict:
    systems = metrics["systems"]
    plots: dict = {}
    for key, level in (("entities", "exact span"), ("entities_mention", "mention level")):
        plots[f"f1_per_label_{key}"] = {"type": "grouped_bars", "data": {
            "title": f"Entity F1 per label and system ({level})", "ylabel": "F1",
            "categories": list(metrics["labels"]),
            "series": {n: [r[key]["per_label"][lab]["f1"] if lab in r["labels"] else None
                           for lab in metrics["labels"]] for n, r in systems.items()},
        }}
    with_rel = {n: r for n, r in systems.items() if r["relations"]}
    if with_rel:
        plots["f1_per_label_relations"] = {"type": "grouped_bars", "data": {
            "title": "Relation F1 per label and system", "ylabel": "F1", "categories": list(RELATION_LABELS),
            "series": {n: [r["relations"]["per_label"][lab]["f1"] for lab in RELATION_LABELS]
                       for n, r in with_rel.items()},
        }}
    for name, result in systems.items():
        plots[f"confusion_{name}"] = {"type": "heatmap", "data": {
            "title": f"{name}: gold (rows) vs predicted (columns), exact spans",
            "labels": result["errors"]["labels"], "matrix": result["errors"]["matrix"],
        }}
    return plots


def read_learning_curve(path: Path) -> dict | None:
    """build/learning_curve.json: {"points": [{"fraction", "entities_micro_f1", "per_label"}]}."""
    if not path.exists():
        return None
    points = sorted(json.loads(path.read_text(encoding="utf-8"))["points"], key=lambda p: p["fraction"])
    labels = sorted({label for p in points for label in p.get("per_label", {})})

    def f1(value: object) -> float | None:
        return value.get("f1") if isinstance(value, dict) else value  # type: ignore[return-value]

    return {"type": "learning_curve", "data": {
        "title": "Learning curve: entity F1 vs share of weakly-labelled training text",
        "percent": [round(100 * p["fraction"], 1) for p in points],
        "micro_f1": [p["entities_micro_f1"] for p in points],
        "per_label": {lab: [f1(p.get("per_label", {}).get(lab)) for p in points] for lab in labels},
    }}


def render_example(example: dict) -> dict:
    """Gold and predicted spans of one error's neighbourhood, rendered by displaCy."""

    def render(spans: list) -> str:
        doc = {"text": example["text"], "ents": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
               "title": None}
        return displacy.render(doc, style="ent", manual=True, page=False, options={"colors": COLORS})

    focus = "; ".join(f"{text} [{label}]" for _s, _e, label, text in example["focus"])
    return {"paragraph": example["paragraph"], "focus": focus,
            "gold_html": render(example["gold"]), "pred_html": render(example["pred"])}


def render_relation_example(example: dict) -> dict:
    """A relation error: the pair in the focus line, the neighbourhood's gold and predicted
    entities rendered by displaCy."""
    rendered = render_example({**example, "focus": []})
    (_hs, _he, head_label, head), (_ts, _te, tail_label, tail) = example["focus"]
    found = "both entities found" if example["entities_found"] else "an entity not found"
    where = "in the gold" if example["kind"] == "spurious_relation" else "by the system"
    pair = f"{head} [{head_label}] -{example['relation']}-> {tail} [{tail_label}]"
    rendered["focus"] = f"{pair} ({found} {where})"
    return rendered


def relation_error_groups(result: dict) -> list[tuple[str, list[dict]]]:
    """Titled groups of rendered relation errors of one system (none for a system without relations)."""
    errors = result.get("relation_errors")
    if not errors:
        return []
    return [
        (
            RELATION_ERROR_TITLES[kind].format(**errors["counts"]),
            [render_relation_example(e) for e in errors["examples"][kind]],
        )
        for kind in RELATION_ERROR_TYPES
    ]


def _environment() -> Environment:
    return Environment(loader=PackageLoader("zhie.evaluate", "templates"), autoescape=select_autoescape())


def write_report(metrics: dict, out: Path, learning_curve_path: Path | None = None) -> None:
    """``metrics`` from run_benchmark or heldout_metrics; adds "plots" and writes the files."""
    out.mkdir(parents=True, exist_ok=True)
    heldout = metrics["kind"] == "heldout"
    plots = metrics.get("plots") or (heldout_plots(metrics) if heldout else benchmark_plots(metrics))
    notes = list(metrics.get("notes", []))
    if learning_curve_path is not None:
        curve = read_learning_curve(learning_curve_path)
        if curve is None:
            notes.append(LEARNING_CURVE_ABSENT.format(path=learning_curve_path))
        else:
            plots["learning_curve"] = curve
    metrics = {**metrics, "plots": plots, "notes": notes}
    tables = heldout_tables(metrics) if heldout else benchmark_tables(metrics)
    dumped = json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True)
    (out / "metrics.json").write_text(dumped + "\n", encoding="utf-8")
    (out / "summary.md").write_text(summary_markdown(metrics, tables), encoding="utf-8")
    images = {key: png_base64(plot) for key, plot in sorted(plots.items())}
    errors = {}
    if not heldout:
        errors = {
            name: [(ERROR_TITLES[kind], [render_example(e) for e in result["errors"]["examples"][kind]])
                   for kind in ERROR_TYPES] + relation_error_groups(result)
            for name, result in metrics["systems"].items()
        }
    html = _environment().get_template("report.html.j2").render(
        metrics=metrics, tables=tables, images=images, plots=plots, errors=errors, notes=notes,
    )
    (out / "report.html").write_text(html, encoding="utf-8")


def summary_markdown(metrics: dict, tables: list[Table]) -> str:
    lines = [f"# Report: {metrics['name']}", ""]
    if metrics["kind"] == "benchmark":
        lines.append(f"Gold: `{metrics['gold']}`: {metrics['paragraphs']} paragraphs, "
                     f"{metrics['characters']} characters, {metrics['gold_entities']} entities scored, "
                     f"scripts {metrics['scripts']}.")
        lines.append("")
    lines += [f"- {note}" for note in metrics.get("notes", [])]
    lines.append("")
    lines += [to_markdown(t) for t in tables]
    lines.append("Plots and error examples: report.html.")
    return "\n".join(lines) + "\n"


def heldout_plots(metrics: dict) -> dict:
    pooled = metrics["pooled"]
    return {
        "f1_per_label_entities": {"type": "grouped_bars", "data": {
            "title": "Held out (pooled over folds): entity F1 per label", "ylabel": "F1",
            "categories": list(metrics["labels"]),
            "series": {n: [r["entities"]["per_label"].get(lab, {}).get("f1") for lab in metrics["labels"]]
                       for n, r in pooled.items()},
        }},
        "fold_micro_f1": {"type": "grouped_bars", "data": {
            "title": "Held out: entity micro F1 per fold", "ylabel": "micro F1",
            "categories": [f["fold"] for f in metrics["folds"]],
            "series": {n: [f["systems"].get(n, {}).get("entities", {}).get("micro", {}).get("f1")
                           for f in metrics["folds"]] for n in pooled},
        }},
    }
