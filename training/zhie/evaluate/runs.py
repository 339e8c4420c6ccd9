"""Assemble reports: systems + gold -> benchmark metrics -> report files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from zhie.evaluate.benchmark import run_benchmark
from zhie.evaluate.clue_format import read_cluener
from zhie.evaluate.heldout import heldout_metrics
from zhie.evaluate.peers import PEERS
from zhie.evaluate.readme_table import update_readme
from zhie.evaluate.report import write_report
from zhie.evaluate.systems import (
    System,
    load_pipeline,
    model_alone_system,
    parse_pipeline_arg,
    peer_system,
    pipeline_system,
)
from zhie.gold import ENTITY_LABELS, read_gold


def make_systems(pipelines: Sequence[str], peers: Sequence[str]) -> list[System]:
    systems = [pipeline_system(*parse_pipeline_arg(arg)) for arg in pipelines]
    systems += [peer_system(name) for name in peers]
    names = [s.name for s in systems]
    if len(set(names)) != len(names):
        raise ValueError(f"system names must differ: {names} (use NAME=PATH)")
    return systems


def run_report(
    name: str,
    pipelines: Sequence[str],
    gold: Path,
    fmt: str,
    peers: Sequence[str],
    out: Path,
    learning_curve: Path | None = None,
    systems: Sequence[System] | None = None,
) -> dict:
    systems = list(systems) if systems is not None else make_systems(pipelines, peers)
    notes = [f"Peer {PEERS[p].description}; scored on those labels only." for p in peers]
    if fmt == "cluener":
        data = read_cluener(gold)
        notes.append("CLUENER2020: company, organization and government map to ORG; only ORG is scored. "
                     "Its ORG conventions differ from ANNOTATION.md (sports clubs, bands, generic bodies).")
        metrics = run_benchmark(systems, data.paragraphs, name=name, gold_path=str(gold), eval_labels=["ORG"],
                                extra_gold={"company": data.company_spans}, notes=notes)
    elif fmt == "gold":
        metrics = run_benchmark(systems, read_gold(gold), name=name, gold_path=str(gold),
                                eval_labels=list(ENTITY_LABELS), notes=notes)
    else:
        raise ValueError(f"unknown gold format {fmt!r}: gold or cluener")
    write_report(metrics, out, learning_curve)
    return metrics


def shipped_systems(model: Path, rules: Path) -> list[System]:
    """The shipped pipeline, its trained components alone, and the rules that taught them."""
    nlp = load_pipeline(str(model))
    return [
        pipeline_system("model", str(model), nlp),
        model_alone_system("model_alone", str(model), nlp),
        pipeline_system("rules", str(rules)),
    ]


def run_all(
    model: Path, rules: Path, gold: Path, heldout: Path, cluener: Path, learning_curve: Path, out: Path,
    readme: Path | None, cluener_peers: Sequence[str], dev_gold: Path | None = None,
) -> list[Path]:
    pipelines = [f"model={model}", f"rules={rules}"]
    pipeline_systems = shipped_systems(model, rules)
    written = []
    table_sources = []
    if dev_gold is not None and dev_gold.exists():
        dev_news = out / "dev_news"
        run_report("dev_news", pipelines, dev_gold, "gold", ["jieba"], dev_news,
                   systems=[*pipeline_systems, peer_system("jieba")])
        written.append(dev_news)
        table_sources.append(dev_news / "metrics.json")
    seed = out / "seed_gold"
    run_report("seed_gold", pipelines, gold, "gold", ["jieba", "thulac"], seed, learning_curve,
               systems=[*pipeline_systems, peer_system("jieba"), peer_system("thulac")])
    written.append(seed)
    table_sources.append(seed / "metrics.json")
    if heldout.exists():
        write_report(heldout_metrics(heldout), out / "heldout")
        written.append(out / "heldout")
        table_sources.append(out / "heldout" / "metrics.json")
    dev = cluener / "dev.json"
    if dev.exists():
        peers = [p for p in cluener_peers if p != "none"]
        run_report("cluener_dev", pipelines, dev, "cluener", peers, out / "cluener_dev",
                   systems=[*pipeline_systems, *(peer_system(p) for p in peers)])
        written.append(out / "cluener_dev")
        table_sources.append(out / "cluener_dev" / "metrics.json")
    if readme is not None:
        update_readme(readme, table_sources)
        written.append(readme)
    return written
