"""Reports written for a small fake pipeline: tables, real PNG plots, and a headless browser."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import spacy
from conftest import make_blank

from zhie.evaluate.heldout import heldout_metrics
from zhie.evaluate.plots import draw, png_bytes
from zhie.evaluate.readme_table import update_readme
from zhie.evaluate.report import write_report
from zhie.evaluate.runs import run_report
from zhie.evaluate.systems import peer_system, pipeline_system

GOLD = [
    {"id": "d-p0", "doc": "d", "para": 0, "text": "宁德时代在云南省曲靖市投资100亿元。",
     "entities": [{"start": 0, "end": 4, "label": "ORG"}, {"start": 5, "end": 8, "label": "GPE"},
                  {"start": 8, "end": 11, "label": "GPE"}, {"start": 13, "end": 18, "label": "MONEY"}],
     "relations": [{"head": 0, "tail": 3, "label": "INVESTS"}]},
    {"id": "d-p1", "doc": "d", "para": 1, "text": "寧德時代年產20萬噸磷酸鐵鋰。",
     "entities": [{"start": 0, "end": 4, "label": "ORG"}, {"start": 6, "end": 10, "label": "QUANTITY"},
                  {"start": 10, "end": 14, "label": "PRODUCT"}], "relations": []},
    {"id": "d-p2", "doc": "d", "para": 2, "text": "曲靖(qǔ)市經(jīng)開區",
     "entities": [{"start": 0, "end": 7, "label": "GPE"}], "relations": []},
]
PATTERNS = [
    {"label": "ORG", "pattern": "宁德时代"},
    {"label": "GPE", "pattern": "云南省曲靖市"},  # boundary error against two gold GPEs
    {"label": "PRODUCT", "pattern": "100亿元"},  # wrong label
    {"label": "QUANTITY", "pattern": "20萬噸"},
    {"label": "ORG", "pattern": "磷酸"},  # boundary error, different label
    {"label": "GPE", "pattern": "曲靖市"},
]


def fake_pipeline() -> spacy.language.Language:
    nlp = make_blank()
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    return nlp


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    gold = root / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in GOLD) + "\n", encoding="utf-8")
    curve = root / "curve.json"
    curve.write_text(json.dumps({"points": [
        {"fraction": f, "entities_micro_f1": 0.2 + f / 2, "per_label": {"ORG": {"f1": f}}}
        for f in (0.1, 0.25, 0.5, 1.0)]}), encoding="utf-8")
    systems = [pipeline_system("fake", "in-memory", fake_pipeline()), peer_system("jieba")]
    run_report("fake", [], gold, "gold", ["jieba"], root / "out", curve, systems=systems)
    return root / "out"


def _images(html: str) -> dict[str, bytes]:
    pattern = r'id="plot-([\w-]+)"[^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"'
    return {m.group(1): base64.b64decode(m.group(2)) for m in re.finditer(pattern, html)}


def test_report_files_and_tables(report_dir: Path) -> None:
    metrics = json.loads((report_dir / "metrics.json").read_text(encoding="utf-8"))
    fake = metrics["systems"]["fake"]
    assert fake["entities"]["per_label"]["ORG"]["tp"] == 1  # simplified ORG only; traditional missed
    assert fake["entities_mention"]["per_label"]["ORG"]["tp"] == 1
    assert fake["errors"]["counts"]["boundary"] == 3 and fake["errors"]["counts"]["wrong_label"] == 1
    assert set(fake["by_script"]) == {"simplified", "traditional", "pinyin-annotated"}
    assert metrics["systems"]["jieba"]["labels"] == ["ORG", "GPE"]
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    for title in ("Entities per label, exact span", "Entities per script", "Speed on this machine",
                  "Boundary errors", "Label confusions"):
        assert title in html
    assert "displacy" not in html.lower() or "<mark" in html  # displaCy marks are inline
    assert not re.search(r'(src|href)="(https?:)?//', html), "report must not load external assets"
    summary = (report_dir / "summary.md").read_text(encoding="utf-8")
    assert "| label | system | P | R | F1 |" in summary


def test_plots_are_real_pngs_of_the_metrics(report_dir: Path) -> None:
    metrics = json.loads((report_dir / "metrics.json").read_text(encoding="utf-8"))
    images = _images((report_dir / "report.html").read_text(encoding="utf-8"))
    assert {"f1_per_label_entities", "confusion_fake", "learning_curve"} <= set(images)
    for key, png in images.items():
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        # The embedded image is exactly the plot of the data kept in metrics.json.
        assert png == png_bytes(draw(metrics["plots"][key])), key
    bars = metrics["plots"]["f1_per_label_entities"]["data"]["series"]["fake"]
    expected = [metrics["systems"]["fake"]["entities"]["per_label"][lab]["f1"] for lab in metrics["labels"]]
    assert bars == expected
    fig = draw(metrics["plots"]["f1_per_label_entities"])
    heights = [p.get_height() for p in fig.axes[0].patches if p.get_gid() == "fake"]
    assert heights == pytest.approx(expected)
    heat = metrics["plots"]["confusion_fake"]["data"]["matrix"]
    assert heat == metrics["systems"]["fake"]["errors"]["matrix"]


def test_learning_curve_absent_is_said(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD[0], ensure_ascii=False) + "\n", encoding="utf-8")
    systems = [pipeline_system("fake", "in-memory", fake_pipeline())]
    run_report("x", [], gold, "gold", [], tmp_path / "out", tmp_path / "missing.json", systems=systems)
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert "learning_curve" not in metrics["plots"]
    assert any("missing.json is absent" in n for n in metrics["notes"])
    assert "missing.json is absent" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_headless_browser_renders_tables_and_images(report_dir: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
           "--dump-dom", (report_dir / "report.html").resolve().as_uri()]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    assert 'data-images-checked="1"' in dom
    assert dom.count("<table") >= 8
    widths = re.findall(r'<img[^>]*class="plot"[^>]*data-natural-width="(\d+)"', dom)
    assert len(widths) == len(_images((report_dir / "report.html").read_text(encoding="utf-8")))
    assert all(int(w) > 100 for w in widths), widths


def test_cluener_org_only_and_readme_table(tmp_path: Path, report_dir: Path) -> None:
    lines = [
        {"text": "宁德时代与云南省政府签约", "label": {"company": {"宁德时代": [[0, 3]]},
                                                 "government": {"云南省政府": [[5, 9]]}}},
        {"text": "曲靖市的德方纳米", "label": {"address": {"曲靖市": [[0, 2]]}}},
    ]
    dev = tmp_path / "dev.json"
    dev.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    systems = [pipeline_system("fake", "in-memory", fake_pipeline())]
    metrics = run_report("cluener_dev", [], dev, "cluener", [], tmp_path / "cl", systems=systems)
    fake = metrics["systems"]["fake"]
    assert metrics["labels"] == ["ORG"] and fake["labels"] == ["ORG"]
    assert fake["entities"]["per_label"]["ORG"]["tp"] == 1 and fake["entities"]["per_label"]["ORG"]["fn"] == 1
    assert fake["subset_recall"]["company"]["recall"] == 1.0
    assert fake["entities"]["micro"]["fp"] == 0  # GPE predictions are not scored on CLUENER

    readme = tmp_path / "README.md"
    stale = "intro\n<!-- results:start -->\nSTALE ROW\n<!-- results:end -->\noutro\n"
    readme.write_text(stale, encoding="utf-8")
    update_readme(readme, [report_dir / "metrics.json", tmp_path / "cl" / "metrics.json"])
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("intro\n<!-- results:start -->\n")
    assert text.endswith("<!-- results:end -->\noutro\n")
    assert "STALE ROW" not in text and "company-only R" in text
    # A benchmark table: one column per pipeline system, one row per label (exact F1 and mention F1).
    assert "| | fake |" in text and re.search(r"\| ORG \| \d\.\d{3} \(\d\.\d{3}\) \|", text)


def test_heldout_report_pools_fold_counts(tmp_path: Path) -> None:
    def score(tp: int, fp: int, fn: int) -> dict:
        return {"per_label": {"ORG": {"tp": tp, "fp": fp, "fn": fn}}, "micro": {"f1": 0.0}}

    def relations(tp: int, fp: int, fn: int) -> dict:
        return {"per_label": {"PRODUCES": {"tp": tp, "fp": fp, "fn": fn}}, "micro": {"f1": 0.0}}

    raw = {"folds": [
        {"doc": "a.txt", "model": {"entities": score(1, 0, 1), "relations": relations(1, 1, 0)},
         "rules": {"entities": score(0, 1, 2), "relations": relations(0, 0, 1)}},
        {"doc": "b.txt", "model": {"entities": score(2, 1, 0), "relations": relations(1, 0, 0)},
         "rules": {"entities": score(1, 0, 1), "relations": relations(1, 0, 0)}},
    ]}
    path = tmp_path / "heldout.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    metrics = heldout_metrics(path)
    org = metrics["pooled"]["model"]["entities"]["per_label"]["ORG"]
    assert (org["tp"], org["fp"], org["fn"]) == (3, 1, 1) and org["precision"] == 0.75
    write_report(metrics, tmp_path / "heldout")
    html = (tmp_path / "heldout" / "report.html").read_text(encoding="utf-8")
    assert "a.txt" in html and 'id="plot-fold_micro_f1"' in html
    produces = metrics["pooled"]["model"]["relations"]["per_label"]["PRODUCES"]
    assert (produces["tp"], produces["fp"], produces["fn"]) == (2, 1, 0)
    # The README's held-out table carries the pooled relations beside the entities.
    readme = tmp_path / "README.md"
    readme.write_text("<!-- results:start -->\n<!-- results:end -->\n", encoding="utf-8")
    update_readme(readme, [tmp_path / "heldout" / "metrics.json"])
    text = readme.read_text(encoding="utf-8")
    assert "held out in turn (pooled over folds), relations" in text
    assert "| PRODUCES | model | 0.667 | 1.000 | 0.800 |" in text
    assert "| PRODUCES | rules | 1.000 | 0.500 | 0.667 |" in text
