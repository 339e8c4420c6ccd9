"""The weak labeller: rules pipeline saved and loaded, corpus labelling, DocBins, statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from zh_industry_ie.contracts import DOC_KEY, PARA_KEY, SOURCE_KEY
from zhie.weak.gpe_seeds import build_divisions, short_form
from zhie.weak.label import CorpusParagraph, is_dev, label_docs, read_corpus, write_weak
from zhie.weak.stats import LabellingStats

TEXTS = [
    "云南裕能落户安宁产业园区，计划投资30亿元建设年产20万吨磷酸铁锂项目。",
    "寧德時代在曲靖經開區建設年產10萬噸正極材料生產線。",
    "2023年，全市规上工业企业918户，同比增长3.7%。",
]


@pytest.fixture
def nlp(rules_nlp: Language) -> Language:
    return rules_nlp


def test_pipeline_saved_to_disk_works_without_the_repo(nlp, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    nlp.to_disk(tmp_path / "rules")
    monkeypatch.chdir(tmp_path)  # seeds/ is not reachable from here
    loaded = spacy.load(tmp_path / "rules")
    assert loaded.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert [(e.start_char, e.end_char, e.label_) for e in loaded(text).ents] == [
            (e.start_char, e.end_char, e.label_) for e in nlp(text).ents
        ]
    assert {e.text for e in loaded(TEXTS[1]).ents} >= {"寧德時代", "曲靖經開區", "10萬噸", "正極材料"}


@pytest.fixture
def weak_out(nlp: Language, tmp_path: Path) -> tuple[Path, dict]:
    """The three TEXTS labelled and written as by ``zhie weak-label``: (directory, summary)."""
    corpus = tmp_path / "paragraphs.jsonl"
    rows = [
        {"id": f"d{i}-p0", "doc": f"doc{i}", "para": 0, "source": "seed" if i == 0 else "inews", "text": t}
        for i, t in enumerate(TEXTS)
    ]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    labelled, stats = label_docs(nlp, read_corpus(corpus), "vote", progress=False)
    summary = write_weak(labelled, stats, tmp_path / "weak", "vote")
    return tmp_path / "weak", summary


def _weak_docs(nlp: Language, out: Path) -> dict[str, spacy.tokens.Doc]:
    docs = [d for name in ("train", "dev") for d in DocBin().from_disk(out / f"{name}.spacy").get_docs(nlp.vocab)]
    assert len(docs) == 3
    return {d.user_data[DOC_KEY]: d for d in docs}


def test_docbins_keep_document_identity(nlp: Language, weak_out: tuple[Path, dict]) -> None:
    doc0 = _weak_docs(nlp, weak_out[0])["doc0"]
    assert doc0.user_data[SOURCE_KEY] == "seed" and doc0.user_data[PARA_KEY] == 0


def test_docbins_hold_the_weak_entities(nlp: Language, weak_out: tuple[Path, dict]) -> None:
    by_doc = _weak_docs(nlp, weak_out[0])
    assert {e.label_ for e in by_doc["doc0"].ents} >= {"ORG", "PARK", "MONEY", "QUANTITY", "PRODUCT"}
    assert not by_doc["doc2"].ents  # counts, years and percentages are not entities


def test_stats_json_counts_functions_and_entities(weak_out: tuple[Path, dict]) -> None:
    out, summary = weak_out
    saved = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert saved == summary
    assert saved["paragraphs"] == 3 and saved["documents"] == 3
    assert saved["functions"]["money_pattern"]["spans"] == 1
    assert saved["functions"]["quantity_pattern"]["per_label"] == {"QUANTITY": 2}
    assert saved["entities"]["MONEY"] == 1
    assert saved["unsure_regions"] == 0  # the rules alone have no unsure source


def test_stats_json_counts_relations_per_cue_family(weak_out: tuple[Path, dict]) -> None:
    # The weak-label step counts them from the docs (the component keeps no counters).
    summary = weak_out[1]
    assert sum(summary["relations"].values()) > 0
    assert summary["relation_families"]
    assert sum(summary["relation_families"].values()) >= sum(summary["relations"].values())


def test_dev_split_is_deterministic_and_never_takes_seeds() -> None:
    paras = [CorpusParagraph(f"x{i}", f"inews-{i}", 0, "inews", "") for i in range(1000)]
    dev = [p for p in paras if is_dev(p)]
    assert 60 <= len(dev) <= 140
    assert dev == [p for p in paras if is_dev(p)]
    assert not is_dev(CorpusParagraph("s", "inews-0", 0, "seed", ""))
    # Paragraphs of one document always go to the same side.
    assert is_dev(CorpusParagraph("a", dev[0].doc, 5, "inews", "")) is True


def test_stats_count_overlaps_and_conflicts() -> None:
    stats = LabellingStats(["a", "b", "c"])
    matches = [("a", (0, 4, "ORG")), ("b", (2, 4, "ORG")), ("c", (3, 6, "PRODUCT")), ("a", (8, 10, "GPE"))]
    stats.add(12, matches, [(0, 4, "ORG"), (8, 10, "GPE")])
    out = stats.to_json()["functions"]
    assert out["a"]["spans"] == 2 and out["a"]["overlaps"] == 1 and out["a"]["conflicts"] == 1
    assert out["b"]["overlaps"] == 1 and out["b"]["conflicts"] == 1 and out["b"]["kept"] == 0
    assert out["c"]["conflicts"] == 1 and out["c"]["overlaps"] == 0
    assert out["a"]["kept"] == 2 and out["a"]["char_coverage"] == round(6 / 12, 5)


def test_gpe_short_forms(tmp_path) -> None:
    nations = ["彝族", "回族", "苗族", "壮族", "维吾尔族"]
    assert short_form("云南省", nations) == "云南"
    assert short_form("威宁彝族回族苗族自治县", nations) == "威宁"
    assert short_form("新疆维吾尔自治区", nations) == "新疆"
    assert short_form("忠县", nations) == ""  # one character would remain
    csv = tmp_path / "adcodes.csv"
    csv.write_text(
        "adcode,name,longitude,latitude\n530000000000,云南省,,\n530100000000,昆明市,,\n"
        "530181000000,安宁市,,\n530100000001,市辖区,,\n",
        encoding="utf-8",
    )
    nat = tmp_path / "nations.csv"
    nat.write_text("\n".join(nations), encoding="utf-8")
    rows = [(d.name, d.short, d.level, d.parent) for d in build_divisions(csv, nat)]
    assert rows == [
        ("云南省", "云南", "province", ""),
        ("昆明市", "昆明", "city", "530000000000"),
        ("安宁市", "安宁", "county", "530100000000"),
    ]


def test_rules_pipeline_votes_with_the_configs_weights(tmp_path, seeds_dir) -> None:  # type: ignore[no-untyped-def]
    from zhie.weak.pipeline import build_rules_pipeline, rule_ner_voting

    config = tmp_path / "train.cfg"
    config.write_text(
        "[components]\n\n[components.zhie_rule_ner]\nfactory = \"zhie_rule_ner\"\n"
        "weights = {\"org_according_to\":0.8}\nkeep_labels = [\"PARK\"]\n",
        encoding="utf-8",
    )
    # Only the voting settings reach the teacher's rules; keep_labels combines with a ner.
    assert rule_ner_voting(config) == {"weights": {"org_according_to": 0.8}}
    assert rule_ner_voting(None) == {}
    text = "据昆明光谷官微消息，项目落地。"
    equal = build_rules_pipeline(seeds_dir)
    weighted = build_rules_pipeline(seeds_dir, rule_ner_voting(config))
    # On the same span the source line ties with the valley (ORG ranks first) and loses only
    # when it weighs less.
    assert [(e.text, e.label_) for e in equal(text).ents] == [("昆明光谷", "ORG")]
    assert [(e.text, e.label_) for e in weighted(text).ents] == [("昆明光谷", "PARK")]
