"""The normaliser: scripts, pinyin, HTML, punctuation, widths, alignment, corrupted text."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS_SEEDS_DIR, SEED_GOLD

from zh_industry_ie.normalize import normalize, simplified_char, to_simplified

SEEDS = CORPUS_SEEDS_DIR
GOLD = SEED_GOLD
# An independent pinyin pattern (letters with tone marks in brackets) for the expectations.
PINYIN = re.compile(r"[(（][a-zü\u00e0-\u01dc\u1e3f\u0144\u0148\u01f9]{1,7}[1-5]?[)）]")


def _seed_line(name_prefix: str, index: int) -> str:
    path = next(SEEDS.glob(f"{name_prefix}_*.txt"))
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()][index]


def _check_alignment(text: str) -> None:
    result = normalize(text)
    assert len(result.offsets) == len(result.text)
    assert list(result.offsets) == sorted(result.offsets)
    for i, offset in enumerate(result.offsets):
        assert 0 <= offset < len(text)
        if result.text[i] == text[offset]:
            continue
        # Replaced characters come from a width change or markup; never from thin air.
        assert not text[offset].isspace() or result.text[i] == " "


def test_simplified_text_is_unchanged() -> None:
    text = "云南省7个新能源电池产业重点项目集中签约，计划总投资340亿元。"
    result = normalize(text)
    assert result.text == text
    assert result.offsets == tuple(range(len(text)))


def test_traditional_text_keeps_its_characters_and_simplifies_per_char() -> None:
    line = _seed_line("003", 0)
    result = normalize(line)
    assert result.text.startswith("綠色鋼城拔地而起、重點園區高效承載、優勢產業催生動能，工業高地")
    assert len(result.text) == len(line)
    assert "鋼" not in to_simplified("綠色鋼城") and to_simplified("綠色鋼城") == "绿色钢城"
    assert simplified_char("產") == "产" and simplified_char("产") == "产"
    assert len(to_simplified(line)) == len(line)


@pytest.mark.parametrize("prefix,index", [("001", 0), ("001", 1), ("004", 0), ("004", 3)])
def test_pinyin_annotations_are_removed_and_aligned(prefix: str, index: int) -> None:
    line = _seed_line(prefix, index)
    assert PINYIN.search(line)
    result = normalize(line)
    assert not PINYIN.search(result.text)
    # Every character left comes from the same character of the input (or its full-width form).
    for char, offset in zip(result.text, result.offsets, strict=True):
        assert char == line[offset] or (line[offset] in ",;:!()" and char in "，；：！（）")
    _check_alignment(line)


def test_pinyin_example_from_the_spec() -> None:
    result = normalize("經(jīng)濟(jì)發(fā)展")
    assert result.text == "經濟發展"
    assert result.to_original(0, 2) == (0, 8)


def test_html_tags_and_entities() -> None:
    text = "<p><strong>曲靖</strong>&nbsp;投资&amp;建设 5&lt;10</p>"
    result = normalize(text)
    assert result.text == "曲靖 投资&建设5<10"
    start = result.text.index("投资")
    assert text[slice(*result.to_original(start, start + 2))] == "投资"
    # Script and style elements go with their content (code is not text); offsets stay true.
    page = '<style>.a{color:red}</style><script type="text/javascript">var hm = 1;</script>德方纳米'
    cleaned = normalize(page)
    assert cleaned.text == "德方纳米"
    assert page[slice(*cleaned.to_original(0, 4))] == "德方纳米"
    # Angle brackets that are no tags stay.
    assert normalize("产能<5万吨，利润>3亿元").text == "产能<5万吨，利润>3亿元"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("长期以来,,传统产业", "长期以来，传统产业"),
        ("绿色硅,、绿色铝", "绿色硅、绿色铝"),
        ("比重达90%以上,。在全省", "比重达90%以上。在全省"),
        ("省委,、省政府", "省委、省政府"),
    ],
)
def test_doubled_punctuation(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_full_and_half_width() -> None:
    assert normalize("投资１２３．５亿元，占比９０％").text == "投资123.5亿元，占比90%"
    assert normalize("ＡＢＣ公司").text == "ABC公司"
    assert normalize("曲靖,昆明;玉溪:好!").text == "曲靖，昆明；玉溪：好！"
    # Between Latin characters and digits the half-width forms stay.
    assert normalize("1,000 t 20:45").text == "1,000 t 20:45"
    assert normalize("全\u3000省").text == "全 省"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("来源：http://www.xinhuanet.com/fortune/2023-01/c_1129250.htm 德方纳米", "来源： 德方纳米"),
        ("详见光大银行网站(www.cebbank.com)。", "详见光大银行网站（）。"),
        ("联系邮箱：jinrongfair@163.com，展会", "联系邮箱：，展会"),
        ('<a href="https://x.cn/a?b=1&amp;c=2">宁德时代</a>官网https://x.cn/a?b=1&amp;c=2。', "宁德时代官网。"),
        ("江诗丹顿lescabinotierscelestiaastronomicalgrandcomplication3600腕表", "江诗丹顿腕表"),
        ("编号6e299f4bbc938b9981e87289d0f3a1c2，", "编号，"),
    ],
)
def test_web_addresses_and_long_latin_runs_are_removed(raw: str, expected: str) -> None:
    result = normalize(raw)
    assert result.text == expected
    _check_alignment(raw)
    # What follows the removed text still maps back to its own offset.
    end = len(result.text)
    assert result.to_original(end - 1, end) == (len(raw) - 1, len(raw))


@pytest.mark.parametrize(
    "text",
    ["年产0.5万吨ETFE、R142b和FKM", "STMicroelectronics与Mercedes-Benz签约", "LiFePO4正极材料", "总投资4486.20亿元", "300mm大硅片", "GB/T 17215标准"],
)
def test_names_and_codes_in_latin_stay(text: str) -> None:
    assert normalize(text).text == text


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("投资人民币 30 亿元，年产 20 万吨", "投资人民币30亿元，年产20万吨"),
        ("2023 年 5 月", "2023年5月"),
        ("投資\u00a030\u3000億元", "投資30億元"),
        # Spaces between Latin words and digits stay: they separate there.
        ("iPhone 15 与 CATL 2023 报告", "iPhone 15与 CATL 2023报告"),
        ("1 0月份", "1 0月份"),
    ],
)
def test_spaces_between_chinese_and_digits_are_removed(raw: str, expected: str) -> None:
    result = normalize(raw)
    assert result.text == expected
    _check_alignment(raw)


def test_corrupted_characters_are_kept() -> None:
    # Mojibake from the source stays; only the annotation whose "(" became "?" goes.
    result = normalize("發(fā)布?xì)夂虍a(chǎn)品")
    assert result.text.startswith("發布夂虍")
    line = _seed_line("001", 1)
    assert "規?；⒓夯" in normalize(line).text
    assert "\ufffd" in normalize("产业\ufffd\ufffd发展").text


def test_to_original_rejects_bad_spans() -> None:
    result = normalize("曲靖")
    with pytest.raises(ValueError):
        result.to_original(1, 1)
    with pytest.raises(ValueError):
        result.to_original(0, 3)
    assert normalize("<b></b>").from_original(0, 7) is None


@pytest.mark.skipif(not GOLD.exists(), reason="../shared gold not available")
def test_every_gold_entity_maps_back_to_its_offsets() -> None:
    from zhie.gold import read_gold

    paragraphs = read_gold(GOLD)
    assert {p.doc for p in paragraphs} == {p.name for p in SEEDS.glob("*.txt")}
    checked = 0
    for paragraph in paragraphs:
        result = normalize(paragraph.text)
        for entity in paragraph.entities:
            span = result.from_original(entity.start, entity.end)
            assert span is not None, (paragraph.id, entity)
            assert result.to_original(*span) == (entity.start, entity.end), (paragraph.id, entity)
            assert result.text[span[0] : span[1]] == PINYIN.sub("", entity.text), (paragraph.id, entity)
            checked += 1
    assert checked > 300
