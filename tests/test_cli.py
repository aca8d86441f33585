"""The installed ``planmap`` command, run as a user runs it (a real subprocess)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.common import PLAN

#: The console script when installed; the same entry point through the interpreter otherwise.
PLANMAP = [shutil.which("planmap")] if shutil.which("planmap") else [sys.executable, "-m", "webmap.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PLANMAP, *args], capture_output=True, text=True, timeout=300)


def test_build_writes_paragraphs(tmp_path):
    out = tmp_path / "b"
    r = run("build", "--source", str(PLAN), "--out", str(out))
    assert r.returncode == 0, r.stderr
    paragraphs = json.loads((out / "paragraphs.json").read_text(encoding="utf-8"))
    assert sum(p["kind"] == "item" for p in paragraphs) == 33
    assert not list(tmp_path.glob(".b.tmp-*")), "temporary build directory left behind"


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\x00\x01\x02binary", "NUL bytes"),
        (b"\xff\xfe\x81\x30" * 40, "cannot decode"),
    ],
)
def test_bad_source_exits_2_with_one_line(tmp_path, content, message):
    src = tmp_path / "in.txt"
    if content is not None:
        src.write_bytes(content)
    out = tmp_path / "out"
    r = run("build", "--source", str(src), "--out", str(out))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("planmap: error:")
    assert not out.exists()


def test_failed_build_keeps_previous_build(tmp_path):
    out = tmp_path / "b"
    assert run("build", "--source", str(PLAN), "--out", str(out)).returncode == 0
    before = (out / "paragraphs.json").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text("一、甲\n\n1.一。\n\n3.三。\n", encoding="utf-8")
    r = run("build", "--source", str(bad), "--out", str(out))
    assert r.returncode == 2 and "item numbering jumps" in r.stderr
    assert (out / "paragraphs.json").read_bytes() == before


def test_other_text_builds_with_warning(tmp_path):
    src = tmp_path / "news.txt"
    src.write_text("句容市宝华镇举行活动。\n\n扬中市新坝镇有新项目。\n", encoding="gb18030")
    r = run("build", "--source", str(src), "--out", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert "plain paragraphs" in r.stderr
