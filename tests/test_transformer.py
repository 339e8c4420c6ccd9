"""configs/transformer.cfg trains from a LOCAL tiny BERT checkpoint (random weights, no hub)."""

from __future__ import annotations

import random
from pathlib import Path

import spacy
from conftest import CONFIGS_DIR, make_blank

from zhie.train.run import train_pipeline
from zhie.train.synthetic import synthetic_doc, write_synthetic_docbin

TRF_CFG = CONFIGS_DIR / "transformer.cfg"
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _tiny_bert(path: Path, chars: list[str]) -> int:
    from transformers import BertConfig, BertModel, BertTokenizer

    vocab = {piece: i for i, piece in enumerate(SPECIAL + chars)}
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=128,
        max_position_embeddings=512,
    )
    BertModel(config).save_pretrained(path)
    # transformers 5: vocab= (a dict); vocab_file= silently gives an all-[UNK] tokenizer.
    tokenizer = BertTokenizer(vocab=vocab)
    assert tokenizer.convert_tokens_to_ids(chars[-1]) == len(vocab) - 1
    tokenizer.save_pretrained(path)
    # transformers 5 saves tokenizer.json only; the config's WordpieceLoader reads vocab.txt.
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    return len(vocab)


def test_transformer_config_trains_from_local_bert(tmp_path: Path) -> None:
    nlp = make_blank()
    write_synthetic_docbin(nlp, tmp_path / "train.spacy", 40, seed=1)
    write_synthetic_docbin(nlp, tmp_path / "dev.spacy", 8, seed=2, doc_prefix="dev")
    rng = random.Random(0)
    chars = sorted({c for _ in range(300) for c in synthetic_doc(nlp, rng).text})
    bert = tmp_path / "bert"
    vocab_size = _tiny_bert(bert, chars)
    out = tmp_path / "model"
    info = train_pipeline(
        TRF_CFG,
        out,
        tmp_path / "train.spacy",
        tmp_path / "dev.spacy",
        {
            "paths.transformer": str(bert),
            "components.transformer.model.vocab_size": vocab_size,
            "components.transformer.model.hidden_width": 64,
            "components.transformer.model.intermediate_width": 128,
            "components.transformer.model.num_attention_heads": 2,
            "components.transformer.model.num_hidden_layers": 2,
            "training.max_steps": 150,
            "training.eval_frequency": 50,
            "training.optimizer.learn_rate": 0.001,
        },
    )
    assert info["dev_performance"]["ents_f"] > 0.0
    loaded = spacy.load(out)
    assert loaded.pipe_names == ["transformer", "ner", "zhie_relation_extractor"]
    doc = loaded("泰和科技有限公司落户赣州市，计划投资30亿元建设年产20万吨碳酸锂项目。")
    assert doc.ents
    assert isinstance(doc._.relations, list)
