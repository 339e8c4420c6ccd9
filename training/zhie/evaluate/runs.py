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
from zhie.evaluate.systems import System, parse_pipeline_arg, peer_system, pipeline_system
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


def run_all(
    model: Path, rules: Path, gold: Path, heldout: Path, cluener: Path, learning_curve: Path, out: Path,
    readme: Path | None, cluener_peers: Sequence[str],
) -> list[Path]:
    pipelines = [f"model={model}", f"rules={rules}"]
    pipeline_systems = make_systems(pipelines, [])
    written = []
    seed = out / "seed_gold"
    run_report("seed_gold", pipelines, gold, "gold", ["jieba", "thulac"], seed, learning_curve,
               systems=[*pipeline_systems, peer_system("jieba"), peer_system("thulac")])
    written.append(seed)
    table_sources = [seed / "metrics.json"]
    if heldout.exists():
        write_report(heldout_metrics(heldout), out / "heldout")
        written.append(out / "heldout")
        table_sources[0] = out / "heldout" / "metrics.json"
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
