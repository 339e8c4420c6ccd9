"""Synthetic weak-labelled docs for tests and development runs (never the gold data).

Sentences are filled from templates with invented names, so tests of the trainable
components do not depend on the weak-labelling step having run.
"""

from __future__ import annotations

import random
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from zh_industry_ie.contracts import DOC_KEY, PARA_KEY, RELATIONS_KEY, SOURCE_KEY

from .frame_sentences import FrameTemplate, fill_template

_ORG_STEMS = ("华能", "远景", "金川", "恒达", "启明", "泰和", "中科", "新宇", "天合", "鼎盛", "博远", "瑞丰")
_ORG_SUFFIX = ("科技有限公司", "集团", "新材料股份有限公司", "能源公司", "实业有限公司")
_GPE = ("江西省", "宜宾市", "包头", "赣州市", "湖北", "合肥市", "遂宁", "德阳市", "呼和浩特", "常州")
_PARK = ("高新技术产业开发区", "经济技术开发区", "临港产业园", "化工园区")
_PRODUCT = ("碳酸锂", "正极材料", "光伏玻璃", "锂电池", "铜箔", "电解液", "多晶硅", "钢材", "隔膜", "水泥")
_QTY_UNIT = ("万吨", "GWh", "GW", "万平方米", "吨")
_MONEY_UNIT = ("亿元", "万元")

# Templates in the format of the frame sentences (slots filled left to right).
_TEMPLATES: tuple[FrameTemplate, ...] = tuple(
    FrameTemplate(text, relations)
    for text, relations in (
        (
            "{ORG}落户{GPE}，计划投资{MONEY}建设年产{QUANTITY}{PRODUCT}项目。",
            (
                ("ORG", "GPE", "LOCATED_IN"),
                ("ORG", "MONEY", "INVESTS"),
                ("ORG", "PRODUCT", "PRODUCES"),
                ("PRODUCT", "QUANTITY", "CAPACITY"),
            ),
        ),
        (
            "{ORG}在{PARK}投资{MONEY}，主要生产{PRODUCT}。",
            (("ORG", "PARK", "LOCATED_IN"), ("ORG", "MONEY", "INVESTS"), ("ORG", "PRODUCT", "PRODUCES")),
        ),
        (
            "{GPE}今年新增{PRODUCT}产能{QUANTITY}，全年完成投资{MONEY}。",
            (("PRODUCT", "QUANTITY", "CAPACITY"),),
        ),
        ("{ORG}与{GPE}签署合作协议，双方将共同推动产业发展。", ()),
        (
            "{ORG}年产{QUANTITY}{PRODUCT}生产线在{GPE}建成投产。",
            (
                ("ORG", "PRODUCT", "PRODUCES"),
                ("PRODUCT", "QUANTITY", "CAPACITY"),
                ("ORG", "GPE", "LOCATED_IN"),
            ),
        ),
        ("据了解，{GPE}去年{PRODUCT}出口额达{MONEY}。", ()),
    )
)


def _fill(label: str, rng: random.Random) -> str:
    if label == "ORG":
        return rng.choice(_ORG_STEMS) + rng.choice(_ORG_SUFFIX)
    if label == "GPE":
        return rng.choice(_GPE)
    if label == "PARK":
        return rng.choice(_GPE).rstrip("市省") + rng.choice(_PARK)
    if label == "PRODUCT":
        return rng.choice(_PRODUCT)
    if label == "QUANTITY":
        return f"{rng.randint(2, 80)}{rng.choice(_QTY_UNIT)}"
    if label == "MONEY":
        return f"{rng.randint(2, 300)}{rng.choice(_MONEY_UNIT)}"
    raise ValueError(label)


def synthetic_doc(nlp: Language, rng: random.Random, n_sentences: int = 3) -> Doc:
    """One paragraph of template sentences with entities and relations set."""
    text = ""
    spans: list[tuple[int, int, str]] = []
    relations: list[list[object]] = []
    for _ in range(n_sentences):
        sentence, sentence_spans, sentence_relations = fill_template(rng.choice(_TEMPLATES), "", _fill, rng)
        offset = len(text)
        spans.extend((s + offset, e + offset, label) for s, e, label in sentence_spans)
        relations.extend(
            [hs + offset, he + offset, ts + offset, te + offset, *rest]
            for hs, he, ts, te, *rest in sentence_relations
        )
        text += sentence
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(s, e, label=lab) for s, e, lab in spans]
    doc.user_data[RELATIONS_KEY] = relations
    return doc


def write_synthetic_docbin(
    nlp: Language, path: Path, n_docs: int, seed: int = 0, doc_prefix: str = "syn"
) -> Path:
    rng = random.Random(seed)
    db = DocBin(store_user_data=True)
    for i in range(n_docs):
        doc = synthetic_doc(nlp, rng)
        doc.user_data[DOC_KEY] = f"{doc_prefix}-{i // 4:03d}"
        doc.user_data[PARA_KEY] = i % 4
        doc.user_data[SOURCE_KEY] = "user"
        db.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return path
