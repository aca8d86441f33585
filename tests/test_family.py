"""A plan family in one build: document ids, per-document mentions, the cache, PDF input.

The family is the plan plus three texts written for the tests (tests/data/family); the
纲要 excerpt is printed to a PDF with reportlab and read back. Expected mentions come from
tests/data/family/gold.csv (made by reading the texts) and the plan's own gold list.
"""
from __future__ import annotations

import csv
import json
import shutil
from collections import Counter

import pytest

from geo.document import load_document
from geo.errors import DocumentError
from geo.pdf import paragraphs as pdf_paragraphs
from layers.build import build
from layers.family import DEFAULT_ID, derive_id, specs
from tests.common import DATA, FAMILY, PLAN
from tests.pdfs import blocks, plan_pdf, scanned_pdf
from tests.test_cli import run

DOCS = ["jianyi", "gangyao", "danyang", "news"]


def read(build_dir, name):
    return json.loads((build_dir / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold():
    with (FAMILY / "gold.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def family_places(family_dir):
    return {f["id"]: f for f in read(family_dir, "places.geojson")["features"]}


def plan_gold_count(canonical: str) -> int:
    with (DATA / "plan_places.csv").open(encoding="utf-8") as f:
        return sum(1 for row in csv.DictReader(f) if row["canonical"] == canonical and row["category"] != "skip")


# --- ids ------------------------------------------------------------------------------------------

def test_documents_keep_their_ids_titles_and_dates(family_dir):
    documents = read(family_dir, "document.json")["documents"]
    assert [d["id"] for d in documents] == DOCS
    by_id = {d["id"]: d for d in documents}
    assert by_id["jianyi"]["date"] == "2021-01-01"
    assert by_id["danyang"]["date"] == "2021-01-08" and by_id["danyang"]["title"].startswith("丹阳市")
    assert by_id["gangyao"]["format"] == "pdf" and by_id["gangyao"]["pages"] == 2
    assert by_id["gangyao"]["title"].startswith("镇江市“十四五”规划纲要")
    assert by_id["news"]["title"] == "news"     # no title line: the file name
    assert read(family_dir, "document.json")["id"] == "jianyi"   # the plan, first, is the default


def test_paragraph_ids_are_prefixed_by_their_document(family_dir):
    paragraphs = read(family_dir, "paragraphs.json")
    ids = [p["id"] for p in paragraphs]
    assert len(ids) == len(set(ids))
    assert all(p["id"].startswith(p["doc"] + ":") for p in paragraphs)
    assert {"jianyi:s3-i9", "gangyao:ch2-se1-h1-k1-n1", "gangyao:ch3-n1", "danyang:s2-i2-p1",
            "news:p2"} <= set(ids)
    assert Counter(p["doc"] for p in paragraphs)["news"] == 2


def test_mentions_carry_their_document(family_dir, gold):
    mentions = read(family_dir, "mentions.json")
    assert all(m["paragraph"].startswith(m["doc"] + ":") for m in mentions)
    found = Counter((m["doc"], m["paragraph"].split(":", 1)[1], m["surface"]) for m in mentions
                    if m["doc"] != "jianyi")
    assert found == Counter((g["doc"], g["para"], g["surface"]) for g in gold)


def test_features_count_mentions_per_document(family_places, gold):
    def docs(name):
        return next(f["properties"]["docs"] for f in family_places.values() if f["properties"]["name"] == name)

    per_doc = Counter((g["canonical"], g["doc"]) for g in gold)
    assert docs("镇江新区") == {"jianyi": plan_gold_count("镇江新区"), "gangyao": per_doc["镇江新区", "gangyao"],
                             "news": per_doc["镇江新区", "news"]} == {"jianyi": 3, "gangyao": 2, "news": 1}
    assert plan_gold_count("丹阳市") == 0     # the plan names the county-level city only inside 镇丹
    assert docs("丹阳市") == {"gangyao": per_doc["丹阳市", "gangyao"], "danyang": per_doc["丹阳市", "danyang"]}
    assert docs("司徒镇") == {"danyang": 1}
    for f in family_places.values():
        props = f["properties"]
        assert sum(props["docs"].values()) == props["mentions"] == len(props["sources"])
        assert Counter(s["doc"] for s in props["sources"]) == props["docs"]


def test_pdf_page_numbers_reach_the_build(family_dir):
    pages = {p["id"]: p["page"] for p in read(family_dir, "paragraphs.json") if p["doc"] == "gangyao"}
    assert pages["gangyao:ch1-p1"] == 1 and pages["gangyao:ch3-n1"] == 2
    assert all(p["page"] is None for p in read(family_dir, "paragraphs.json") if p["doc"] != "gangyao")


# --- sources and the cache ------------------------------------------------------------------------

def test_specs_from_files_folders_and_ids(tmp_path):
    assert specs(None)[0].id == DEFAULT_ID and specs([str(PLAN)])[0].id == DEFAULT_ID
    assert [s.id for s in specs([str(FAMILY)])] == ["danyang", "gangyao", "news"]
    assert [s.id for s in specs([f"纲要={FAMILY / 'gangyao.txt'}"])] == ["纲要"]
    assert derive_id(tmp_path / "丹阳 纲要(2021).PDF") == "丹阳-纲要-2021"
    with pytest.raises(DocumentError, match="two documents have the id 'news'"):
        specs([str(FAMILY / "news.txt"), f"news={FAMILY / 'danyang.txt'}"])


def test_rebuilding_one_document_reparses_only_that_one(tmp_path, build_dir):
    sources = tmp_path / "src"
    shutil.copytree(FAMILY, sources, ignore=shutil.ignore_patterns("*.csv", "*.md"))
    out = tmp_path / "build"
    out.mkdir()
    shutil.copy(build_dir / "gazetteer.json", out)
    first = build([str(sources)], out)
    assert first.parsed == ["danyang", "gangyao", "news"] and first.cached == []
    news = sources / "news.txt"
    news.write_text(news.read_text(encoding="utf-8") + "\n润州区也有新动态。\n", encoding="utf-8")
    second = build([str(sources)], out)
    assert second.parsed == ["news"] and second.cached == ["danyang", "gangyao"]
    assert second.mentions == first.mentions + 1
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(build_dir / "gazetteer.json", fresh)
    build([str(sources)], fresh)
    for name in ("paragraphs.json", "mentions.json", "places.geojson"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


# --- PDF ------------------------------------------------------------------------------------------

def test_pdf_reads_as_the_text_it_was_printed_from(tmp_path):
    pdf = load_document(plan_pdf(tmp_path / "g.pdf", blocks(FAMILY / "gangyao.txt")))
    txt = load_document(FAMILY / "gangyao.txt")
    assert [(p.id, p.kind, p.text) for p in pdf.paragraphs] == [(p.id, p.kind, p.text) for p in txt.paragraphs]
    assert "纲要节选" not in pdf.text and "页" not in pdf.text    # running header and 第 N 页 dropped


def test_outline_numbering_of_a_gangyao():
    doc = load_document(FAMILY / "gangyao.txt")
    kinds = {p.id: p.kind for p in doc.paragraphs}
    assert kinds["ch2"] == "chapter" and kinds["ch2-se1"] == "section" and kinds["ch2-se1-h1"] == "heading"
    assert kinds["ch2-se1-h1-k2"] == "subheading" and kinds["ch2-se1-h1-k2-n1"] == "item"
    assert doc.paragraph("ch2-se2").title == "两翼协同"


def test_running_headers_footers_and_page_numbers_are_dropped():
    body = ["推进京口区老工业基地更新改造。", "加快润州区科技创新走廊建设。", "提升丹徒区生态环境质量水平。"]
    pages = [f"镇江市某规划\n\u3000\u3000{text}\n续写到这里。\n- {n} -\n内部资料 第{n}页"
             for n, text in enumerate(body, start=1)]
    assert pdf_paragraphs(pages) == [(n, f"{text}续写到这里。") for n, text in enumerate(body, start=1)]


def test_paragraph_runs_on_to_the_next_page():
    pages = ["页眉\n\u3000\u30001.第一条很长很长很长很长的正文没有写完\n1",
             "页眉\n接着写完。\n\u3000\u30002.第二条。\n2"]
    assert pdf_paragraphs(pages) == [(1, "1.第一条很长很长很长很长的正文没有写完接着写完。"), (2, "2.第二条。")]


def test_scanned_pdf_is_refused_with_exit_2(tmp_path):
    scan = scanned_pdf(tmp_path / "scan.pdf")
    out = tmp_path / "out"
    r = run("build", "--source", str(FAMILY / "news.txt"), "--source", str(scan), "--out", str(out))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no text layer" in lines[0] and lines[0].startswith("planmap: error:")
    assert not out.exists()


def test_cli_builds_a_family_and_exports_one_document(tmp_path, build_dir):
    out = tmp_path / "b"
    out.mkdir()
    shutil.copy(build_dir / "gazetteer.json", out)
    pdf = plan_pdf(tmp_path / "纲要.pdf", blocks(FAMILY / "gangyao.txt"))
    r = run("build", "--source", f"gangyao={pdf}", "--source", str(FAMILY / "news.txt"), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "documents read: gangyao, news" in r.stdout
    target = tmp_path / "news.geojson"
    r = run("export", "--doc", "news", "--build-dir", str(out), "-o", str(target))
    assert r.returncode == 0, r.stderr
    fc = json.loads(target.read_text(encoding="utf-8"))
    assert fc["documents"] == ["news"]
    assert {f["properties"]["name"] for f in fc["features"]} >= {"高资街道", "镇江新区"}
    assert all(set(f["properties"]["docs"]) == {"news"} for f in fc["features"])
    r = run("export", "--doc", "jianyi", "--build-dir", str(out), "-o", str(target))
    assert r.returncode == 2 and "unknown doc 'jianyi'; valid values: gangyao, news" in r.stderr
