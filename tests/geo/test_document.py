"""The document model, checked against the real plan and against broken inputs."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.document import load_document, parse_document
from geo.errors import DocumentError, NotFound
from geo.textio import MAX_BYTES, decode
from tests.common import MINI_PLAN, PLAN

CHROME = ("打开APP", "来说两句", "小贴士", "最热评论", "媒体云", "template", "编辑:陈路")


def test_plan_has_eight_sections_in_order(plan):
    assert [p.section for p in plan.sections] == list(range(1, 9))
    assert plan.sections[2].text.startswith("三、紧扣“一体化”")


def test_plan_has_33_items_once_each_in_order(plan):
    assert [p.item for p in plan.items] == list(range(1, 34))


def test_repeated_body_is_dropped(plan):
    # The scrape repeats the body; every paragraph of the model must be unique.
    texts = [p.text for p in plan.paragraphs]
    assert len(texts) == len(set(texts))
    assert plan.text.count("9.加快市域一体发展。") == 1
    assert any("repeat" in w for w in plan.warnings)


@pytest.mark.parametrize("chrome", CHROME)
def test_no_page_chrome_in_paragraphs(plan, chrome):
    assert not [p.id for p in plan.paragraphs if chrome in p.text]


def test_offsets_round_trip_for_every_paragraph(plan):
    for p in plan.paragraphs:
        assert plan.text[p.start:p.end] == p.text


def test_paragraph_at_finds_owner(plan):
    item9 = plan.paragraph("s3-i9")
    assert plan.paragraph_at(item9.start + 100).id == "s3-i9"
    with pytest.raises(NotFound):
        plan.paragraph_at(item9.end)  # the separator between paragraphs


def test_ids_are_stable_and_url_safe():
    first = load_document(PLAN)
    second = load_document(PLAN)
    assert [p.id for p in first.paragraphs] == [p.id for p in second.paragraphs]
    assert all(re.fullmatch(r"[a-z0-9-]+", p.id) for p in first.paragraphs)
    assert len({p.id for p in first.paragraphs}) == len(first.paragraphs)


def test_item9_text_and_title(plan):
    item9 = plan.paragraph("s3-i9")
    assert item9.text.startswith("9.加快市域一体发展")
    assert item9.title == "加快市域一体发展"
    assert (item9.section, item9.item) == (3, 9)


def test_six_jianchi_paragraphs_belong_to_item6(plan):
    jianchi = [p for p in plan.paragraphs if p.text.startswith("——坚持")]
    assert len(jianchi) == 6
    assert {(p.kind, p.item, p.section) for p in jianchi} == {("sub", 6, 2)}


def test_item7_subparagraphs_and_item19_continuation(plan):
    assert [p.kind for p in plan.paragraphs if p.item == 7] == ["item"] + ["sub"] * 4
    cont = plan.paragraph("s5-i19-p1")
    assert cont.text.startswith("有序推进棚户区") and cont.item == 19


def test_front_and_back_matter(plan):
    assert plan.title.startswith("中共镇江市委关于制定镇江市国民经济")
    assert plan.date == "2021-01-01"
    assert plan.source == "镇江日报"
    kinds = [p.kind for p in plan.paragraphs]
    assert kinds[:3] == ["title", "date", "preamble"]
    assert kinds[-2:] == ["closing", "source"]
    assert plan.paragraph("closing").text.startswith("实现“十四五”规划")
    assert [p.kind for p in plan.paragraphs if p.section == 3 and p.item is None] == ["section", "intro"]


def test_gb18030_and_bom_inputs_read_the_same(tmp_path):
    raw = PLAN.read_text(encoding="utf-8")
    gbk = tmp_path / "plan-gbk.txt"
    gbk.write_bytes(raw.encode("gb18030"))
    bom = tmp_path / "plan-bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + raw.replace("\n", "\r\n").encode("utf-8"))
    reference = load_document(PLAN)
    for path in (gbk, bom):
        doc = load_document(path)
        assert doc.text == reference.text
        assert [p.id for p in doc.paragraphs] == [p.id for p in reference.paragraphs]


def test_plain_text_reads_as_paragraphs_with_warning():
    doc = parse_document("镇江新区发布新闻。\n\n句容市宝华镇举行活动。\n")
    assert [(p.id, p.kind, p.item) for p in doc.paragraphs] == [("p1", "text", None), ("p2", "text", None)]
    assert not doc.structured
    assert any("plain paragraphs" in w for w in doc.warnings)


def test_plain_text_with_a_paragraph_per_line_reads_each_line_as_one():
    # news pasted with one line per paragraph; a hard-wrapped text breaks lines mid-sentence
    doc = parse_document("镇江新区发布新闻。\n句容市宝华镇举行活动。\n扬中市新坝镇修路。\n")
    assert [p.text for p in doc.paragraphs] == ["镇江新区发布新闻。", "句容市宝华镇举行活动。", "扬中市新坝镇修路。"]
    wrapped = parse_document("镇江新区发布新闻，句容市\n宝华镇举行活动，扬中市新坝镇\n修路。\n")
    assert len(wrapped.paragraphs) == 1


def test_mini_plan_structure():
    doc = parse_document(MINI_PLAN)
    assert [p.id for p in doc.paragraphs] == [
        "title", "date", "preamble", "s1", "s1-i1", "s1-i1-p1", "s2", "s2-intro", "s2-i2", "s2-i3",
        "closing", "source"]
    # a paragraph after the final item is the closing paragraph, not a continuation of item 3
    assert doc.paragraph("closing").item is None
    assert doc.source == "示例日报"


@pytest.mark.parametrize(
    "text, message",
    [
        ("一、甲\n\n1.一。\n\n3.三。\n", "item numbering jumps from 1 to 3"),
        ("一、甲\n\n1.一。\n\n1.一又。\n", "item numbering jumps from 1 to 1"),
        ("一、甲\n\n1.一。\n\n三、丙\n\n2.二。\n", "section numbering jumps from 1 to 3"),
    ],
)
def test_broken_numbering_is_an_error(text, message):
    with pytest.raises(DocumentError, match=message):
        parse_document(text)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        (b"\xfd\x81\x30\xff\xff\xfe" * 10, "cannot decode"),  # no BOM first: FF FE would be UTF-16
        (b"a" * (MAX_BYTES + 1), f"limit {MAX_BYTES:,} bytes"),
    ],
)
def test_bad_bytes_are_refused(data, message):
    with pytest.raises(DocumentError, match=message):
        decode(data, name="x.txt")


def test_mixed_encodings_are_refused():
    raw = PLAN.read_text(encoding="utf-8")
    half = len(raw) // 2
    mixed = raw[:half].encode("utf-8") + raw[half:].encode("gb18030")
    with pytest.raises(DocumentError, match="mixes UTF-8 and GBK"):
        decode(mixed, name="mixed.txt")


def test_fifty_megabyte_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)   # sparse: the size check must not read it
    with pytest.raises(DocumentError, match=f"52,428,800 bytes is too large to be a plan \\(limit {MAX_BYTES:,} bytes\\)"):
        load_document(big)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        load_document(tmp_path / "absent.txt")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300))
def test_any_text_parses_or_fails_cleanly(text):
    # Property: whatever the text, parsing either raises DocumentError or yields
    # paragraphs whose offsets round-trip.
    try:
        doc = parse_document(text)
    except DocumentError:
        return
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text
