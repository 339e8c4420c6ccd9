"""Each entity labelling function on real sentences, simplified and traditional."""

from __future__ import annotations

from pathlib import Path

import pytest

from zh_industry_ie.rules.base import LabellingFunction
from zh_industry_ie.rules.functions import build_functions
from zh_industry_ie.rules.seeds import load_seeds
from zh_industry_ie.tokenizer import blank_pipeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def functions() -> dict[str, LabellingFunction]:
    return {f.name: f for f in build_functions(load_seeds(SEEDS))}


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return blank_pipeline()


def found(fn: LabellingFunction, nlp, text: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    return [(doc[s:e].text, label) for s, e, label in fn(doc)]


def texts(fn: LabellingFunction, nlp, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [t for t, _ in found(fn, nlp, text)]


def test_names_are_unique_and_cover_all_labels(functions: dict[str, LabellingFunction]) -> None:
    labels = {f.label for f in functions.values()}
    assert labels == {"ORG", "GPE", "PARK", "PRODUCT", "MONEY", "QUANTITY"}


def test_gpe_full_name(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    fn = functions["gpe_full_name"]
    assert texts(fn, nlp, "项目分别落地玉溪市、曲靖市和昭通市。") == ["玉溪市", "曲靖市", "昭通市"]
    # Traditional input: the doc text stays traditional, the match is on the simplified norm.
    assert texts(fn, nlp, "分布於西山區、安寧市、富民縣") == ["西山區", "安寧市", "富民縣"]
    # 河南省长: a title follows, the place is 河南.
    assert texts(fn, nlp, "7月5日，河南省长王凯到企业调研") == ["河南"]


def test_gpe_short_name_and_ambiguity(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    fn = functions["gpe_short_name"]
    assert texts(fn, nlp, "隆基等3个企业落户曲靖。") == ["曲靖"]
    assert texts(fn, nlp, "打造如安宁“零碳”新能源电池材料基地") == ["安宁"]
    assert texts(fn, nlp, "维护社会安宁，促进共同富裕") == []  # 安宁 as a word
    assert texts(fn, nlp, "培育壮大新兴产业") == []  # 壮大|新兴: no 大新
    assert texts(fn, nlp, "寻甸县和晋宁区") == ["寻甸县", "晋宁区"]  # short + suffix
    assert texts(fn, nlp, "著力打造以昆明、曲靖、昭通為主的製造基地") == ["昆明", "曲靖", "昭通"]


def test_gpe_village(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    assert texts(functions["gpe_village"], nlp, "在中老合作物流园安宁桃花村货运站") == ["桃花村"]


def test_org_known_name(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    fn = functions["org_known_name"]
    assert texts(fn, nlp, "材料环节引进了宁德时代、深圳德方纳米等龙头企业") == ["宁德时代", "深圳德方纳米"]
    assert texts(fn, nlp, "云南恩捷新能源新材料产业合作项目") == ["云南恩捷"]
    assert texts(fn, nlp, "融創中國聯交所公告") == ["融創中國", "聯交所"]


def test_org_company_suffix(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    fn = functions["org_company_suffix"]
    assert texts(fn, nlp, "与云南能源投资股份有限公司等多家企业集中签约") == ["云南能源投资股份有限公司"]
    assert texts(fn, nlp, "7月5日，河南省长王凯到鍋圈食品（上海）股份有限公司调研") == [
        "鍋圈食品（上海）股份有限公司"
    ]
    # The seat inside the name; a longer bracket is a remark, not a seat.
    assert texts(fn, nlp, "乙市与远帆重工(昆明)海风设备有限公司签订协议") == [
        "远帆重工（昆明）海风设备有限公司"
    ]
    assert texts(fn, nlp, "龙头企业（含外资控股企业）海风设备有限公司签约") == ["海风设备有限公司"]
    # A descriptor before the name is not part of it (台资企业, 龙头企业).
    assert texts(fn, nlp, "近日，台资企业远帆果汁有限公司与当地签约") == ["远帆果汁有限公司"]
    # An ownership word before 子公司 names no company (ANNOTATION.md: bare generic bodies).
    assert texts(fn, nlp, "在南京市投资设立100%持股子公司，关于控股子公司拟投资") == []


def test_org_brand_suffix(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    fn = functions["org_brand_suffix"]
    assert texts(fn, nlp, "隆基股份、晶澳科技、徽航能源等行业龙头企业率先入驻") == [
        "隆基股份",
        "晶澳科技",
        "徽航能源",
    ]
    assert texts(fn, nlp, "加大科技创新扶持力度，发展绿色能源") == []
    assert texts(fn, nlp, "2021年，中国硅业大会在曲靖召开") == []


def test_org_institution_and_government(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    inst = functions["org_institution"]
    assert texts(inst, nlp, "会上，中国有色金属工业协会授予曲靖市称号") == ["中国有色金属工业协会"]
    assert texts(inst, nlp, "在中山大學發布的指數中") == ["中山大學"]
    assert texts(inst, nlp, "鼓励支持银行加大信贷投放") == []
    gov = functions["org_government_body"]
    assert texts(gov, nlp, "2021年11月，玉溪市委、市政府经过调查研究") == ["玉溪市委"]
    assert texts(gov, nlp, "在省委、省政府的高位推动下") == []
    assert texts(gov, nlp, "玉溪高新区管委会主任姚翔介绍") == ["玉溪高新区管委会"]


def test_org_context_patterns(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    assert texts(functions["org_stock_code"], nlp, "福达合金（603045)7月5日晚间公告") == ["福达合金"]
    # A stock code closes the name: its last character may be a boundary word (据 of 数据) ...
    assert texts(functions["org_stock_code"], nlp, "2月4日，華遠數據(300001.SZ)發布公告稱") == ["華遠數據"]
    # ... where a looser context does not: 的 still ends the name there.
    assert texts(functions["org_according_to"], nlp, "根据马尔代夫媒体的报道，据之前的报道") == []
    assert texts(functions["org_source_line"], nlp, "来源：昆明信息港") == ["昆明信息港"]
    assert texts(
        functions["org_abbreviation_definition"], nlp, "据中国证券登记结算有限责任公司（简称“中国结算”）消息"
    ) == ["中国结算"]
    assert texts(functions["org_publication"], nlp, "今天是《開發區周刊》新的一年的第一期") == ["開發區周刊"]
    # A reporter's title is not part of the outlet; the person named after 记者 is no outlet.
    reporter = functions["org_reporter"]
    assert texts(reporter, nlp, "（云南日报全媒记者 李明 通讯员 王芳）") == ["云南日报"]
    assert texts(reporter, nlp, "苏报讯(驻常熟首席记者商中尧通讯员") == ["苏报"]
    # The channel a source speaks through is not part of its name.
    according = functions["org_according_to"]
    assert texts(according, nlp, "据甲乙气象台网站消息，") == ["甲乙气象台"]
    assert texts(according, nlp, "據甲乙物流官方微博消息，") == ["甲乙物流"]
    assert texts(according, nlp, "据甲乙日报报道，") == ["甲乙日报"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A zone named with its seat in brackets, as companies are (锅圈食品（上海）…).
        ("，中德（揭阳）中小企业合作区揭牌", ["中德（揭阳）中小企业合作区"]),
        ("学习会在甲乙（山东）家电产业园举行", ["甲乙（山东）家电产业园"]),
        # A place before the seat leads the name, not the verb before it.
        ("，走进安徽(淮南)现代煤化工产业园区", ["安徽（淮南）现代煤化工产业园区"]),
        # The bracket must hold a place: a note or an alias is no seat.
        ("福建省（含厦门市）和苏州工业园区", []),
        ("李某（化名）是甲乙物流园区的员工", []),
        # A park's other name in brackets (高新区（江海区）) seats nothing that follows it.
        ("，高新区（江海区）税务局服务厅高新区（江海区）", []),
        # No name from a boundary before the seat and no place: nothing.
        ("领导共同为中德（揭阳）中小企业合作区揭牌", []),
    ],
)
def test_park_seated_name(functions, nlp, text: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert texts(functions["park_seated_name"], nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A company (a known name, a company form or a brand) + name part + park word.
        ("中国建材宜宾产业园项目：总投资8亿元", ["中国建材宜宾产业园"]),
        ("近日，甲乙科技光电产业研创园的车间内", ["甲乙科技光电产业研创园"]),
        ("甲乙丙有限公司工业园开工", ["甲乙丙有限公司工业园"]),
        # A park only mentioned after the company is no company park.
        ("甲乙科技入驻宜昌产业园", []),
        # No company at the start of the name part: park_named's business, not this one.
        ("，光电子产业研创园开园", []),
    ],
)
def test_park_company_led(functions, nlp, text: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert texts(functions["park_company_led"], nlp, text) == expected


def test_park_functions(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    named = functions["park_named"]
    assert texts(named, nlp, "全市组织高新区、经开区、安宁产业园区等6家园区") == [
        "高新区",
        "经开区",
        "安宁产业园区",
    ]
    assert texts(named, nlp, "引擎性项目向化工园区聚集") == []
    assert texts(named, nlp, "郑光就不时前往丹东新区看房") == ["丹东新区"]
    assert texts(named, nlp, "因为新区房价上涨") == []
    assert texts(named, nlp, "昆明經開區聚焦“四區聯動”") == ["昆明經開區"]
    # 化工园(区) names a park after a place (ANNOTATION.md: 项目选址宜都化工园), not alone.
    assert texts(named, nlp, "项目选址甲乙市丙丁化工园，占地300亩") == []
    assert texts(named, nlp, "项目选址宜昌丙丁化工园，占地300亩") == ["宜昌丙丁化工园"]
    assert texts(named, nlp, "不久前，南京化工园区管委会") == ["南京化工园区"]
    sub = functions["park_subarea"]
    assert texts(sub, nlp, "在曲靖经开区南海子片区，高起点规划") == ["曲靖经开区南海子片区"]
    assert texts(sub, nlp, "滇中新区直管区打造营商环境新高地") == ["滇中新区直管区"]


def test_product_functions(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    lex = functions["product_lexicon"]
    assert texts(lex, nlp, "重点发展单晶硅拉棒及切片项目") == ["单晶硅拉棒", "切片"]
    assert texts(lex, nlp, "新能源电池产业发展的重大窗口期") == []
    assert texts(lex, nlp, "培育新能源电池、卷烟及配套、绿色钢铁3个千亿级产业") == []
    assert texts(lex, nlp, "針對硒、碲、鉑、鈀等稀有稀散金屬") == ["硒", "碲", "鉑", "鈀", "稀有稀散金屬"]
    after = functions["product_after_quantity"]
    assert texts(after, nlp, "云天化年产50万吨电池新材料前驱体及配套项目") == ["电池新材料前驱体"]
    assert texts(after, nlp, "规划了15平方公里的硅光伏产业园") == []
    listed = functions["product_list"]
    assert texts(listed, nlp, "重点发展生物制药、现代中药、化学药等相关产品") == [
        "生物制药",
        "现代中药",
        "化学药",
    ]
    assert texts(listed, nlp, "重点发展新材料、生物医药等战略性新兴产业") == []


@pytest.mark.parametrize(
    ("function", "text", "expected"),
    [
        # a grade or purity word is part of the product's name
        ("product_lexicon", "新建年产2万吨电池级碳酸锂生产线", ["电池级碳酸锂"]),
        ("product_lexicon", "主要生產電子級多晶硅和高纯氧化铝", ["電子級多晶硅", "高纯氧化铝"]),
        # a salt of a known acid is a product of its own, not the acid
        ("product_lexicon", "项目以磷酸盐为主要产品", ["磷酸盐"]),
        ("product_lexicon", "年产磷酸10万吨", ["磷酸"]),
        # compounds are head-final: a product word before a vehicle, equipment or system modifies it
        ("product_lexicon", "研发锂电池汽车和电池系统，生产电池", ["电池"]),
        ("product_lexicon", "生產鋰電池汽車和電池", ["電池"]),
        # after a stated capacity a Latin code names the product, in order, list by list
        ("product_after_quantity", "建设3万吨PVDF、1万吨R32等项目", ["PVDF", "R32"]),
        ("product_after_quantity", "年产5万吨PVC树脂项目", ["PVC树脂"]),
        # chemistry name endings make context items products
        ("product_after_quantity", "年产2万吨环己酮、1万吨丙烯酸酯", ["环己酮", "丙烯酸酯"]),
    ],
)
def test_product_names(functions, nlp, function: str, text: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert texts(functions[function], nlp, text) == expected


def test_money_pattern(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    fn = functions["money_pattern"]
    assert texts(fn, nlp, "计划总投资约340亿元以上，同比增长3.7%") == ["340亿元"]
    assert texts(fn, nlp, "刷新日高至15.18美元，实现合同销售金额人民幣70億元") == [
        "15.18美元",
        "人民幣70億元",
    ]
    assert texts(fn, nlp, "打造生物制品千亿元产业，规上企业918户") == ["千亿元"]
    # A bare first number shares the unit of the second; an approximation mark inside the numeral.
    assert texts(fn, nlp, "年产值达80至90亿元，总投资近11亿人民币，吸收资金6000余万元") == [
        "80至90亿元",
        "11亿人民币",
        "6000余万元",
    ]
    assert texts(fn, nlp, "售价300人民币") == []  # 人民币 after the number only with a magnitude


def test_quantity_pattern(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    fn = functions["quantity_pattern"]
    assert texts(fn, nlp, "年产20万吨磷酸铁锂，110kV供电，迁改13公里") == ["20万吨", "110kV", "13公里"]
    assert texts(fn, nlp, "规上工业企业918户，洽谈项目60余次，占比90%") == []
    assert texts(fn, nlp, "形成了年产4.5萬臺光機") == ["4.5萬臺"]
    assert texts(fn, nlp, "他买了3台电脑") == []  # a piece count without a production cue
    # ... or with the line or delivery it counts for after it in the clause
    assert texts(fn, nlp, "第一条3000台电机自动化产线，将有超2000万只灯管从这里交付") == ["3000台", "2000万只"]
    assert texts(fn, nlp, "引进10台设备，员工500多人") == []
    assert texts(fn, nlp, "占地面积60余亩，年可生产饲料30多万吨，形成120万吨至200万吨能力") == [
        "60余亩",
        "30多万吨",
        "120万吨",
        "200万吨",
    ]
    assert texts(fn, nlp, "2020-2025年，洽谈项目60余次") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capacity is one amount: lines times size, and the per-year rate
        ("新建2×600MW燃煤机组", ["2×600MW"]),
        ("产能提升至40万吨/年，副产石膏8000t/a", ["40万吨/年", "8000t/a"]),
        ("設計規模3×5000噸/年", ["3×5000噸/年"]),
        # a Chinese unit may be followed by a Latin product name; a Latin unit not by letters
        ("年产6万吨R32、2万吨PVDF", ["6万吨", "2万吨"]),
        ("共计5tons货物", []),
        ("装机容量50万KW", ["50万KW"]),
    ],
)
def test_quantity_capacity_forms(functions, nlp, text: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert texts(functions["quantity_pattern"], nlp, text) == expected


def test_offsets_are_token_indices_with_whitespace_runs(functions, nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc("项目位于   曲靖市  经开区")
    spans = list(functions["gpe_full_name"](doc))
    assert [doc[s:e].text for s, e, _ in spans] == ["曲靖市"]
