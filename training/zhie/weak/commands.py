"""``zhie seeds-gpe``, ``zhie weak-label`` and ``zhie weak-eval``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from .gold_stats import lf_gold_stats
from .gpe_seeds import (
    ambiguous_short_forms,
    build_divisions,
    common_words,
    cpca_resource,
    jieba_dictionary,
    write_ambiguous,
    write_common_words,
    write_divisions,
)


def seeds_gpe(
    out: Annotated[Path, typer.Option(help="Output TSV.")] = Path("seeds/gpe/admin_divisions.tsv"),
) -> None:
    """Write the administrative divisions table (name, short, adcode, level, parent) from cpca,
    the ambiguous short forms and the common-word list (both from jieba's dictionary)."""
    divisions = build_divisions(cpca_resource("adcodes.csv"), cpca_resource("56_nations.csv"))
    write_divisions(divisions, out)
    ambiguous = ambiguous_short_forms(divisions, jieba_dictionary())
    write_ambiguous(ambiguous, out.parent / "ambiguous_short.tsv")
    words = common_words(jieba_dictionary())
    write_common_words(words, out.parent.parent / "common" / "common_words.tsv")
    typer.echo(f"{len(divisions)} divisions -> {out}; {len(ambiguous)} ambiguous short forms")


def print_summary(summary: dict[str, Any]) -> None:
    typer.echo(
        f"documents {summary['documents']}  paragraphs {summary['paragraphs']}  "
        f"characters {summary['characters']}  aggregator {summary['aggregator']}  "
        f"train/dev paragraphs {summary['split']['train_paragraphs']}/{summary['split']['dev_paragraphs']}"
    )
    typer.echo("weak entities: " + ", ".join(f"{k} {v}" for k, v in summary["entities"].items()))
    typer.echo("relations:     " + (", ".join(f"{k} {v}" for k, v in summary["relations"].items()) or "none"))
    header = ("spans", "cover", "chars", "overl", "confl", "kept")
    typer.echo(f"{'function':<28} " + " ".join(f"{h:>6}" for h in header) + "  labels")
    for name, f in summary["functions"].items():
        labels = " ".join(f"{k}:{v}" for k, v in f["per_label"].items())
        typer.echo(
            f"{name:<28} {f['spans']:>6} {f['coverage']:>6.3f} {f['char_coverage']:>7.4f} "
            f"{f['overlaps']:>6} {f['conflicts']:>6} {f['kept']:>6}  {labels}"
        )


def weak_label(
    corpus: Annotated[Path, typer.Option(help="paragraphs.jsonl from `zhie corpus`.")] = Path(
        "build/corpus/paragraphs.jsonl"
    ),
    seeds: Annotated[Path, typer.Option(help="Seeds directory.")] = Path("seeds"),
    out: Annotated[Path, typer.Option(help="Output directory for the DocBins.")] = Path("build/weak"),
    rules_out: Annotated[Path, typer.Option(help="Where to save the rules-only pipeline.")] = Path(
        "build/rules"
    ),
    aggregator: Annotated[str, typer.Option(help="vote (priority voting) or hmm (skweak).")] = "vote",
    config: Annotated[
        Path | None, typer.Option(help="Training config whose [zhie.teacher] adds LAC and propagation.")
    ] = None,
    lac: Annotated[Path | None, typer.Option(help="LAC directory from `zhie lac-fetch`.")] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Label the corpus with the teacher (rules, plus LAC's tags and document propagation when the
    config's [zhie.teacher] asks); write train/dev DocBins, stats.json and build/rules/."""
    from .label import label_docs, read_corpus, write_weak
    from .pipeline import build_rules_pipeline, rule_ner_voting
    from .teacher import teacher_from_config

    if not corpus.is_file():
        raise typer.BadParameter(f"{corpus} not found: run `zhie corpus` first", param_hint="--corpus")
    if aggregator not in ("vote", "hmm"):
        raise typer.BadParameter("vote or hmm", param_hint="--aggregator")
    nlp = build_rules_pipeline(seeds, rule_ner_voting(config))
    nlp.to_disk(rules_out)
    teacher = teacher_from_config(nlp, config, lac)
    started = time.perf_counter()
    labelled, stats = label_docs(nlp, read_corpus(corpus), aggregator, progress, teacher)
    summary = write_weak(labelled, stats, out, aggregator, round(time.perf_counter() - started, 1))
    print_summary(summary)
    typer.echo(f"labelled in {summary['seconds']} s -> {out}; rules pipeline -> {rules_out}")


def teacher_eval(
    gold: Annotated[list[Path], typer.Option(help="Gold JSONL (repeat for several).")],
    out: Annotated[Path, typer.Option(help="Output JSON.")],
    rules: Annotated[Path, typer.Option(help="The rules-only pipeline directory.")] = Path("build/rules"),
    config: Annotated[Path | None, typer.Option(help="Config with [zhie.teacher].")] = None,
    lac: Annotated[Path | None, typer.Option(help="LAC directory from `zhie lac-fetch`.")] = None,
) -> None:
    """The weak teacher on gold files: per-source precision/coverage and the teacher's F1."""
    import spacy

    import zh_industry_ie  # noqa: F401
    from zhie.gold import read_gold

    from .teacher import teacher_from_config
    from .teacher_eval import teacher_gold_stats

    nlp = spacy.load(rules)
    teacher = teacher_from_config(nlp, config, lac)
    result = {}
    for path in gold:
        stats = teacher_gold_stats(nlp, teacher, read_gold(path))
        result[path.name] = stats
        typer.echo(f"== {path.name}: {stats['paragraphs']} paragraphs")
        typer.echo(f"{'function':<30} {'match':>6} {'exact':>6} {'P':>6} {'P_ovl':>6} {'cov':>6}")
        for name, f in stats["functions"].items():
            typer.echo(f"{name:<30} {f['matches']:>6} {f['exact']:>6} {f['precision']:>6.3f} "
                       f"{f['overlap_precision']:>6.3f} {f['coverage']:>6.3f}")
        for level in ("exact", "mention"):
            scores = stats["teacher"][level]
            cells = " ".join(f"{label} {s['f1']:.3f}" for label, s in scores["per_label"].items())
            typer.echo(f"teacher {level:<8} micro F1 {scores['micro']['f1']:.3f} | {cells}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def weak_eval(
    rules: Annotated[Path, typer.Option(help="The rules-only pipeline directory.")] = Path("build/rules"),
    gold: Annotated[Path, typer.Option(help="Gold JSONL.")] = Path("../shared/gold/seeds_gold.jsonl"),
    out: Annotated[Path, typer.Option(help="Output JSON.")] = Path("build/weak/gold_eval.json"),
) -> None:
    """Score the rules-only pipeline on the gold: per-label P/R/F1 (exact spans) and relations."""
    import spacy

    import zh_industry_ie  # noqa: F401
    from zhie.evaluate.gold_eval import evaluate_nlp_on_gold
    from zhie.gold import read_gold

    nlp = spacy.load(rules)
    result = evaluate_nlp_on_gold(nlp, read_gold(gold))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for kind in ("entities", "relations"):
        typer.echo(f"{kind}: {'label':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
        rows = [*result[kind]["per_label"].items(), ("micro", result[kind]["micro"])]
        for label, s in rows:
            typer.echo(
                f"{'':<10}{label:<12} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                f"{s['tp']:>5} {s['fp']:>5} {s['fn']:>5}"
            )


def weak_compare(
    corpus: Annotated[Path, typer.Option(help="paragraphs.jsonl (fits the HMM).")] = Path(
        "build/corpus/paragraphs.jsonl"
    ),
    seeds: Annotated[Path, typer.Option(help="Seeds directory.")] = Path("seeds"),
    gold: Annotated[Path, typer.Option(help="Gold JSONL.")] = Path("../shared/gold/seeds_gold.jsonl"),
    out: Annotated[Path, typer.Option(help="Output JSON.")] = Path("build/weak/aggregators.json"),
) -> None:
    """Compare priority voting with the skweak HMM on the gold (entity P/R/F1 per label)."""
    from zhie.gold import read_gold

    from .compare import compare_aggregators
    from .label import read_corpus
    from .pipeline import build_rules_pipeline

    nlp = build_rules_pipeline(seeds)
    result = compare_aggregators(nlp, list(read_corpus(corpus)), read_gold(gold))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for aggregator, scores in result["results"].items():
        cells = "  ".join(f"{label} {s['f1']:.3f}" for label, s in scores["per_label"].items())
        m = scores["micro"]
        typer.echo(
            f"{aggregator:<5} micro P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} | {cells}"
        )
    typer.echo(f"best: {result['best']}")


def register(app: typer.Typer) -> None:
    app.command("seeds-gpe")(seeds_gpe)
    app.command("weak-label")(weak_label)
    app.command("weak-eval")(weak_eval)
    app.command("teacher-eval")(teacher_eval)
    app.command("weak-compare")(weak_compare)
    app.command("lf-gold-stats")(lf_gold_stats)
