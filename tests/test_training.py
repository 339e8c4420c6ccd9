"""Training through the configs: corpus reader, augmenter, ci.cfg end to end, held-out folds."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import spacy
from conftest import CI_CFG, SEEDS_DIR, make_blank
from spacy.training import Example

from zh_industry_ie.contracts import DOC_KEY, RELATIONS_KEY, UNKNOWN_SPANS_KEY
from zhie.train.augment import MASK_NORM, WeakAugmenter
from zhie.train.corpus import create_weak_corpus, select_documents
from zhie.train.heldout import fold_overrides, run_heldout
from zhie.train.run import parse_overrides, train_pipeline
from zhie.train.synthetic import synthetic_doc, write_synthetic_docbin


def _synthetic_gold(path: Path, doc_ids: tuple[str, ...], seed: int) -> Path:
    """A gold JSONL with one synthetic paragraph per document id (test data, never the seed gold)."""
    nlp = make_blank()
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for doc_id in doc_ids:
            doc = synthetic_doc(nlp, rng)
            ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
            handle.write(json.dumps({"id": doc_id, "doc": doc_id, "text": doc.text, "entities": ents}) + "\n")
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("weak")
    nlp = make_blank()
    write_synthetic_docbin(nlp, root / "train.spacy", 160, seed=1)
    write_synthetic_docbin(nlp, root / "dev.spacy", 24, seed=2, doc_prefix="dev")
    return root


def test_select_documents_is_deterministic() -> None:
    ids = [f"d{i}" for i in range(10)]
    half = select_documents(ids, ["d0"], 0.5)
    assert half == select_documents(reversed(ids), ["d0"], 0.5)
    assert len(half) == 5 and "d0" not in half
    with pytest.raises(ValueError):
        select_documents(ids, [], 0.0)


def test_weak_corpus_excludes_documents_and_copies_tokens(data: Path) -> None:
    nlp = make_blank()
    all_egs = list(create_weak_corpus(data / "train.spacy")(nlp))
    kept = list(create_weak_corpus(data / "train.spacy", exclude_docs=["syn-000"])(nlp))
    assert len(all_egs) == 160 and len(kept) == 156
    assert all(eg.reference.user_data[DOC_KEY] != "syn-000" for eg in kept)
    eg = kept[0]
    assert [t.text for t in eg.predicted] == [t.text for t in eg.reference]
    assert not eg.predicted.ents and eg.reference.ents
    assert [t.norm_ for t in eg.predicted] == [t.norm_ for t in eg.reference]
    assert len(list(create_weak_corpus(data / "train.spacy", max_fraction=0.25)(nlp))) == 40


def test_mention_replacement_moves_relations() -> None:
    nlp = make_blank()
    rng = random.Random(3)
    docs = [synthetic_doc(nlp, rng) for _ in range(20)]
    augmenter = WeakAugmenter(mention_replace_prob=1.0, cue_mask_prob=0.0, cue_chars="", seed=0)
    augmenter.fit(docs)
    outputs = list(augmenter(nlp, Example(nlp.make_doc(docs[0].text), docs[0])))
    assert len(outputs) == 2
    new = outputs[1].reference
    old_rel = {
        (docs[0].text[hs:he], docs[0].text[ts:te], lab)
        for hs, he, ts, te, lab, _ in docs[0].user_data[RELATIONS_KEY]
    }
    new_rel = [
        (new.text[hs:he], new.text[ts:te], lab) for hs, he, ts, te, lab, _ in new.user_data[RELATIONS_KEY]
    ]
    assert len(new_rel) == len(old_rel)
    ents = {(e.text, e.label_) for e in new.ents}
    # Every relation still joins two entities of the rewritten doc, with the right labels.
    for head, tail, _label in new_rel:
        assert any(head == t for t, _ in ents) and any(tail == t for t, _ in ents)
    pool = {text for texts in augmenter.pool.values() for text in texts}
    assert all(e.text in pool for e in new.ents)


def test_mention_replacement_of_chosen_labels_keeps_missing_regions() -> None:
    nlp = make_blank()
    docs = []
    for text, product in (("甲公司年产10万吨锂盐项目。", "锂盐"), ("乙公司年产5万吨氢氟酸项目。", "氢氟酸")):
        doc = nlp.make_doc(text)
        start = text.index(product)
        ents = [doc.char_span(0, 3, label="ORG"), doc.char_span(start, start + len(product), label="PRODUCT")]
        # The last character (。) is the teacher's unsure region: a missing value, not O.
        doc.set_ents(ents, missing=[doc[len(doc) - 1 : len(doc)]], default="outside")
        docs.append(doc)
    augmenter = WeakAugmenter(1.0, 0.0, "", seed=0, replace_labels=["PRODUCT"])
    augmenter.fit(docs[1:])
    assert augmenter.pool == {"PRODUCT": ["氢氟酸"]}
    new = list(augmenter(nlp, Example(nlp.make_doc(docs[0].text), docs[0])))[1].reference
    assert new.text == "甲公司年产10万吨氢氟酸项目。"
    assert [(e.text, e.label_) for e in new.ents] == [("甲公司", "ORG"), ("氢氟酸", "PRODUCT")]
    assert [t.ent_iob_ for t in new][-2:] == ["O", ""]
    # Nothing to swap: no second example (it would only repeat the first).
    only_org = nlp.make_doc("丙公司开工。")
    only_org.ents = [only_org.char_span(0, 3, label="ORG")]
    assert len(list(augmenter(nlp, Example(nlp.make_doc(only_org.text), only_org)))) == 1


def test_cue_masking_only_touches_cue_characters() -> None:
    nlp = make_blank()
    doc = synthetic_doc(nlp, random.Random(4))
    augmenter = WeakAugmenter(mention_replace_prob=0.0, cue_mask_prob=1.0, cue_chars="公司元吨", seed=0)
    _original, masked = list(augmenter(nlp, Example(nlp.make_doc(doc.text), doc)))
    for token in masked.predicted:
        assert (token.norm_ == MASK_NORM) == (token.text in "公司元吨")


def test_parse_overrides() -> None:
    got = parse_overrides(["training.max_steps=10", '--corpora.train.exclude_docs=["a"]', "x.y=abc"])
    assert got == {"training.max_steps": 10, "corpora.train.exclude_docs": ["a"], "x.y": "abc"}
    with pytest.raises(ValueError):
        parse_overrides(["novalue"])
    assert fold_overrides(CI_CFG)["training.max_steps"] == 60


def test_ci_config_trains_saves_and_loads(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    info = train_pipeline(
        CI_CFG,
        out,
        data / "train.spacy",
        data / "dev.spacy",
        {"training.max_steps": 300, "training.optimizer.learn_rate": 0.003},
    )
    assert info["train_seconds"] < 60
    assert info["dev_performance"]["ents_f"] > 0.5
    assert info["dev_performance"]["rel_micro_f"] > 0.3
    nlp = spacy.load(out)
    assert nlp.pipe_names == [
        "tok2vec", "ner", "zhie_rule_ner", "zhie_relation_extractor", "zhie_rule_relations", "zhie_entity_values"
    ]
    doc = nlp("恒达科技有限公司落户常州，计划投资30亿元建设年产20万吨碳酸锂项目。")
    assert {e.label_ for e in doc.ents} >= {"MONEY", "QUANTITY"}
    assert isinstance(doc._.relations, list) and doc._.relations
    assert json.loads((out / "training_info.json").read_text())["model_bytes"] > 0
    # Rules only (README): switching the trained components off gives the rules pipeline's output.
    from zhie.weak.pipeline import build_rules_pipeline

    rules = build_rules_pipeline(SEEDS_DIR)(doc.text)
    with nlp.select_pipes(disable=["tok2vec", "ner", "zhie_relation_extractor"]):
        fast = nlp(doc.text)
    assert [(e.text, e.label_) for e in fast.ents] == [(e.text, e.label_) for e in rules.ents]
    assert [(r.head.text, r.label, r.tail.text) for r in fast._.relations] == [
        (r.head.text, r.label, r.tail.text) for r in rules._.relations
    ]
    assert ("恒达科技有限公司", "ORG") in [(e.text, e.label_) for e in fast.ents]


def test_training_twice_gives_identical_weights(data: Path, tmp_path: Path) -> None:
    """Fixed seeds: the same config and data give the same model, byte for byte (same machine)."""
    weights = []
    for run in ("a", "b"):
        out = tmp_path / run
        train_pipeline(CI_CFG, out, data / "train.spacy", data / "dev.spacy", {"training.max_steps": 60})
        weights.append({name: (out / name / "model").read_bytes() for name in ("tok2vec", "ner", "zhie_relation_extractor")})
    assert weights[0] == weights[1]


def test_heldout_folds_exclude_their_document(data: Path, tmp_path: Path) -> None:
    nlp = make_blank()
    gold = _synthetic_gold(tmp_path / "gold.jsonl", ("syn-000", "syn-001"), seed=9)
    rules = tmp_path / "rules"
    nlp.to_disk(rules)  # a rules stand-in that finds nothing
    result = run_heldout(CI_CFG, data / "train.spacy", data / "dev.spacy", gold, rules, tmp_path / "heldout")
    assert [f["doc"] for f in result["folds"]] == ["syn-000", "syn-001"]
    assert all(f["excluded_train_paragraphs"] == 4 for f in result["folds"])
    assert result["pooled"]["rules"]["entities"]["micro"]["tp"] == 0
    assert (tmp_path / "heldout" / "heldout.json").exists()
    assert not (tmp_path / "heldout" / "fold-0").exists()


def test_heldout_with_two_workers_gives_the_same_folds_as_one(data: Path, tmp_path: Path) -> None:
    nlp = make_blank()
    gold = _synthetic_gold(tmp_path / "gold.jsonl", ("syn-000", "syn-001", "syn-002"), seed=9)
    rules = tmp_path / "rules"
    nlp.to_disk(rules)
    two_workers = tmp_path / "ci_two_workers.cfg"
    two_workers.write_text(
        CI_CFG.read_text(encoding="utf-8").replace("[zhie.heldout]\n", "[zhie.heldout]\nworkers = 2\n"),
        encoding="utf-8",
    )
    results = [
        run_heldout(cfg, data / "train.spacy", data / "dev.spacy", gold, rules, tmp_path / name)
        for cfg, name in ((CI_CFG, "one"), (two_workers, "two"))
    ]
    assert [r["workers"] for r in results] == [1, 2]
    assert "training.workers" not in results[1]["fold_overrides"]
    assert results[0]["pooled"] == results[1]["pooled"]
    assert [f["doc"] for f in results[1]["folds"]] == ["syn-000", "syn-001", "syn-002"]
    assert [f["model_alone"] for f in results[0]["folds"]] == [f["model_alone"] for f in results[1]["folds"]]


def test_experiment_trains_without_gold_docs_and_reenables_rules(data: Path, tmp_path: Path) -> None:
    from zhie.train.experiment import run_experiment
    from zhie.train.run import dev_disabled_components

    config = tmp_path / "ci_dev_disabled.cfg"
    config.write_text(
        CI_CFG.read_text(encoding="utf-8")
        + '\n[zhie.train]\ndev_disabled = ["zhie_rule_ner","zhie_rule_relations"]\n',
        encoding="utf-8",
    )
    assert dev_disabled_components(config) == ["zhie_rule_ner", "zhie_rule_relations"]
    assert dev_disabled_components(CI_CFG) == []
    nlp = make_blank()
    gold = tmp_path / "gold.jsonl"
    rng = random.Random(5)
    with gold.open("w", encoding="utf-8") as handle:
        for doc_id in ("syn-002", "syn-003"):
            doc = synthetic_doc(nlp, rng)
            ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
            handle.write(json.dumps({"id": doc_id, "doc": doc_id, "text": doc.text, "entities": ents}) + "\n")
    rules = tmp_path / "rules"
    nlp.to_disk(rules)
    result = run_experiment(
        config, tmp_path / "exp", data / "train.spacy", data / "dev.spacy", gold, rules,
        {"training.max_steps": 60},
    )
    assert result["excluded_docs"] == ["syn-002", "syn-003"]
    assert set(result["summary"]) == {"model", "combined", "combined_ner_first", "rules"}
    assert "all" in result["rules_plus_model_label_micro_f1"]
    assert result["scores"]["rules"]["entities"]["micro"]["tp"] == 0
    trained = spacy.load(tmp_path / "exp" / "model")
    # Switched off for dev scoring only: the saved pipeline runs its rules again.
    assert not trained.disabled and "zhie_rule_ner" in trained.pipe_names
    assert trained.pipe_names.index("ner") < trained.pipe_names.index("zhie_rule_ner")


def test_pretrain_writes_weights_from_non_seed_text(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zhie.cli import app

    corpus = tmp_path / "paragraphs.jsonl"
    records = [
        {"id": f"d{i}-p00", "doc": f"d{i}", "para": 0, "source": "seed" if i == 0 else "inews",
         "text": f"恒达科技有限公司落户常州，计划投资{i + 3}0亿元建设年产20万吨碳酸锂项目。"}
        for i in range(6)
    ]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "pretrain"
    result = CliRunner().invoke(app, ["pretrain", "--config", str(CI_CFG), "--corpus", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    raw = [json.loads(line)["text"] for line in (out / "raw_text.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(raw) == 5 and records[0]["text"] not in raw
    assert (out / "model-last.bin").stat().st_size > 0


def test_learning_curve_holds_out_gold_documents_and_grows_the_data(data: Path, tmp_path: Path) -> None:
    from zhie.train.learning_curve import run_learning_curve

    gold = _synthetic_gold(tmp_path / "gold.jsonl", ("syn-004", "syn-005"), seed=7)
    out = tmp_path / "curve.json"
    result = run_learning_curve(CI_CFG, data / "train.spacy", data / "dev.spacy", gold, out, [0.25, 1.0])
    assert result["held_out_docs"] == ["syn-004", "syn-005"]
    small, full = result["points"]
    assert (small["fraction"], full["fraction"]) == (0.25, 1.0)
    assert 0 < small["train_characters"] < full["train_characters"]
    assert all(0.0 <= p["entities_micro_f1"] <= 1.0 for p in result["points"])
    assert json.loads(out.read_text(encoding="utf-8")) == result
    assert not (tmp_path / "learning_curve_models").exists()


def test_sentence_units_keep_entities_and_relations_and_thin_out_empty_sentences(data: Path) -> None:
    nlp = make_blank()
    paragraphs = list(create_weak_corpus(data / "train.spacy")(nlp))
    sentences = list(create_weak_corpus(data / "train.spacy", sentences=True)(nlp))
    # Every synthetic paragraph has three sentences; no entity or relation is lost by cutting.
    assert len(sentences) == 3 * len(paragraphs)
    assert sum(len(eg.reference.ents) for eg in sentences) == sum(len(eg.reference.ents) for eg in paragraphs)
    n_rel = sum(len(eg.reference.user_data[RELATIONS_KEY]) for eg in paragraphs)
    assert sum(len(eg.reference.user_data[RELATIONS_KEY]) for eg in sentences) == n_rel
    for eg in sentences:
        ref = eg.reference
        assert ref.text.count("。") == 1 and ref.user_data[DOC_KEY].startswith("syn-")
        for hs, he, ts, te, _label, _score in ref.user_data[RELATIONS_KEY]:
            assert ref.char_span(hs, he) is not None and ref.char_span(ts, te) is not None
    repeated = list(create_weak_corpus(data / "train.spacy", source_repeats={"user": 2})(nlp))
    assert len(repeated) == 2 * len(paragraphs)


def test_unlabelled_fraction_drops_only_sentences_without_entities() -> None:
    from zhie.train.corpus import select_training_units

    nlp = make_blank()
    labelled, empty = nlp.make_doc("恒达集团落户常州。"), nlp.make_doc("今天天气很好。")
    labelled.ents = [labelled.char_span(0, 4, label="ORG")]
    units = select_training_units([labelled, empty] * 50, False, 0.0, {}, seed=0)
    assert len(units) == 50 and all(u.ents for u in units)
    with pytest.raises(ValueError):
        select_training_units([labelled], False, 1.5, {})


def test_label_repeats_repeat_units_with_a_rare_label() -> None:
    from zhie.train.corpus import select_training_units

    nlp = make_blank()
    org = nlp.make_doc("恒达集团落户常州。")
    org.ents = [org.char_span(0, 4, label="ORG")]
    both = nlp.make_doc("恒达集团生产隔膜。")
    both.ents = [both.char_span(0, 4, label="ORG"), both.char_span(6, 8, label="PRODUCT")]
    park = nlp.make_doc("落户常州高新区。")
    park.ents = [park.char_span(2, 7, label="PARK")]
    repeats = {"PRODUCT": 3, "PARK": 2}
    units = select_training_units([org, both, park], False, 1.0, {}, label_repeats=repeats)
    assert [u.text for u in units] == [org.text] + [both.text] * 3 + [park.text] * 2
    # with a source repeat the two multiply
    org.user_data["zhie_source"] = both.user_data["zhie_source"] = "seed"
    units = select_training_units([org, both], False, 1.0, {"seed": 2}, label_repeats=repeats)
    assert [u.text for u in units] == [org.text] * 2 + [both.text] * 6


def test_focus_labels_thin_out_units_of_other_labels_only() -> None:
    from zhie.train.corpus import select_training_units

    nlp = make_blank()
    docs = []
    for i in range(200):
        org = nlp.make_doc(f"恒达{i}集团落户常州。")
        org.ents = [org.char_span(0, len(org.text) - 5, label="ORG")]
        product = nlp.make_doc(f"恒达{i}集团生产隔膜。")
        product.ents = [product.char_span(0, len(product.text) - 5, label="ORG"),
                        product.char_span(len(product.text) - 3, len(product.text) - 1, label="PRODUCT")]
        docs += [org, product]
    units = select_training_units(docs, False, 1.0, {}, focus_labels=["PRODUCT"], unfocused_fraction=0.25)
    with_product = [u for u in units if any(e.label_ == "PRODUCT" for e in u.ents)]
    assert len(with_product) == 200
    assert 30 <= len(units) - len(with_product) <= 70
    assert [u.text for u in units] == [u.text for u in select_training_units(
        docs, False, 1.0, {}, focus_labels=["PRODUCT"], unfocused_fraction=0.25)]
    assert len(select_training_units(docs, False, 1.0, {}, unfocused_fraction=0.0)) == 400
    with pytest.raises(ValueError, match="unfocused_fraction"):
        select_training_units(docs, False, 1.0, {}, focus_labels=["PRODUCT"], unfocused_fraction=1.5)


def test_heldout_holds_out_seed_rows_only_its_document_names(tmp_path: Path) -> None:
    from zhie.weak.pipeline import build_rules_pipeline

    seeds = SEEDS_DIR
    held_text = "云天化年产50万吨电池新材料项目在昆明市开工，计划投资30亿元。"
    corpus = tmp_path / "paragraphs.jsonl"
    rows = [{"id": "a-p0", "doc": "a.txt", "para": 0, "source": "seed", "text": held_text}]
    nlp = make_blank()
    rng = random.Random(3)
    for i in range(30):
        rows.append({"id": f"u{i}-p0", "doc": f"u{i}", "para": 0, "source": "user",
                     "text": synthetic_doc(nlp, rng).text})
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    ents = [{"start": held_text.index(t), "end": held_text.index(t) + len(t), "label": label}
            for t, label in (("云天化", "ORG"), ("昆明市", "GPE"), ("30亿元", "MONEY"))]
    gold.write_text(json.dumps({"id": "a-p0", "doc": "a.txt", "text": held_text, "entities": ents},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    config = tmp_path / "strict.cfg"
    config.write_text(CI_CFG.read_text(encoding="utf-8").replace(
        "[zhie.heldout]\n",
        '[zhie.heldout]\ndocument_lexicons = {"org/known_companies.tsv":["name","short"]}\n'), encoding="utf-8")
    rules = tmp_path / "rules"
    build_rules_pipeline(seeds).to_disk(rules)
    result = run_heldout(config, tmp_path / "unused.spacy", tmp_path / "unused.spacy", gold, rules,
                         tmp_path / "heldout", corpus_path=corpus, seeds_dir=seeds)
    fold = result["folds"][0]
    assert any(row.startswith("云天化") or "\t云天化" in row
               for row in fold["dropped_seed_rows"]["org/known_companies.tsv"])
    # With every seed row the rules know 云天化; with the fold's seeds they do not.
    assert fold["rules_all_seeds"]["entities"]["per_label"]["ORG"]["tp"] == 1
    assert fold["rules"]["entities"]["per_label"]["ORG"]["tp"] == 0
    assert fold["rules"]["entities"]["per_label"]["MONEY"]["tp"] == 1
    assert set(result["pooled"]) == {"model", "model_alone", "rules", "rules_all_seeds"}
    assert not (tmp_path / "heldout" / "fold-0-data").exists()
    with pytest.raises(ValueError, match="document_lexicons"):
        run_heldout(config, tmp_path / "unused.spacy", tmp_path / "unused.spacy", gold, rules,
                    tmp_path / "again")
    # The folds re-label with the config's teacher, as `zhie weak-label` does for the main
    # training: a teacher that votes with LAC's tags needs the LAC directory in the folds too.
    lac_teacher = tmp_path / "lac_teacher.cfg"
    lac_teacher.write_text(config.read_text(encoding="utf-8") + '\n[zhie.teacher]\nlac_weights = {"lac_org":1.0}\n',
                           encoding="utf-8")
    with pytest.raises(ValueError, match="LAC directory"):
        run_heldout(lac_teacher, tmp_path / "unused.spacy", tmp_path / "unused.spacy", gold, rules,
                    tmp_path / "lac", corpus_path=corpus, seeds_dir=seeds)


def test_unsure_regions_are_missing_values_in_the_reference_not_o(tmp_path: Path) -> None:
    from spacy.tokens import DocBin, Span

    nlp = make_blank()
    doc = nlp.make_doc("宁德时代通过微信销售。比亚迪生产刀片电池。")
    doc.ents = [Span(doc, 0, 4, "ORG"), Span(doc, 11, 14, "ORG")]
    doc.spans[UNKNOWN_SPANS_KEY] = [Span(doc, 6, 8, "PRODUCT"), Span(doc, 16, 20, "PRODUCT")]
    path = tmp_path / "weak.spacy"
    DocBin(docs=[doc], store_user_data=True).to_disk(path)
    plain = [eg.reference for eg in create_weak_corpus(path, sentences=True)(nlp)]
    unsure = [eg.reference for eg in create_weak_corpus(path, sentences=True, unknown_spans=True)(nlp)]
    assert [t.ent_iob_ for t in plain[0]][4:9] == ["O"] * 5
    # 微信 and 刀片电池 are neither entity nor O; the entities and the O around them stay.
    assert [t.ent_iob_ for t in unsure[0]] == ["B", "I", "I", "I", "O", "O", "", "", "O", "O", "O"]
    assert [t.ent_iob_ for t in unsure[1]][5:9] == ["", "", "", ""]
    assert [e.text for r in unsure for e in r.ents] == ["宁德时代", "比亚迪"]
