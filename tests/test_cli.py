"""The installed ``planmap`` command, run as a user runs it (a real subprocess)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.common import PLAN

#: The console script installed beside this interpreter (not whichever ``planmap`` is first on PATH);
#: the same entry point through the interpreter otherwise.
_SCRIPT = Path(sys.executable).with_name("planmap")
PLANMAP = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "webmap.cli"]


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
        (b"\x81\x30\xff\xfe" * 40, "cannot decode"),  # no BOM: FF FE first would be UTF-16
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


def test_help_and_version_import_nothing_heavy():
    """The front door opens fast: no geoparser, GeoPandas, Flask or pygeoapi behind --help and --version."""
    probe = ("import sys, webmap.cli as cli\n"
             "for argv in (['--help'], ['--version'], ['build', '--help']):\n"
             "    try:\n        cli.main(argv)\n    except SystemExit:\n        pass\n"
             "print(sorted(m for m in ('flask', 'geopandas', 'pygeoapi', 'shapely', 'ahocorasick_rs') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"
    assert "planmap " in r.stdout and "layers" in r.stdout      # --version's line; --help lists every command


def test_version_matches_the_package_metadata():
    from importlib.metadata import version

    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"planmap {version('planmap')}"


def warm_out(build_dir, tmp_path):
    """A build directory holding only the session build's gazetteer cache, so a small build skips assembling it."""
    out = tmp_path / "b"
    out.mkdir()
    shutil.copy(build_dir / "gazetteer.json", out)
    return out


def test_one_paragraph_is_singular(build_dir, tmp_path):
    src = tmp_path / "one.txt"
    src.write_text("宝华镇举行活动。\n", encoding="utf-8")
    r = run("build", "--source", str(src), "--out", str(warm_out(build_dir, tmp_path)))
    assert r.returncode == 0, r.stderr
    assert "1 paragraph, 1 place mention resolved to 1 place, 0 unresolved spans" in r.stdout


def test_layers_of_a_build_without_places(build_dir, tmp_path):
    src = tmp_path / "none.txt"
    src.write_text("今天天气很好。\n\n我们去散步。\n", encoding="utf-8")
    out = warm_out(build_dir, tmp_path)
    assert run("build", "--source", str(src), "--out", str(out)).returncode == 0
    r = run("layers", "--build-dir", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["total", "0"]
    assert len(r.stderr.strip().splitlines()) == 1 and "no places" in r.stderr


def test_a_folder_without_documents_is_refused_by_name(tmp_path):
    # a folder is a family of documents (its .txt and .pdf files); one with none is named in the error
    (tmp_path / "notes.md").write_text("not a document", encoding="utf-8")
    r = run("build", "--source", str(tmp_path), "--out", str(tmp_path / "b"))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"planmap: error: {tmp_path}: the folder has no .txt or .pdf file"]


def test_utf16_with_bom_is_read(build_dir, tmp_path):
    src = tmp_path / "utf16.txt"
    src.write_text("句容市宝华镇举行活动。\n\n扬中市新坝镇有新项目。\n", encoding="utf-16")   # Python writes a BOM
    r = run("build", "--source", str(src), "--out", str(warm_out(build_dir, tmp_path)))
    assert r.returncode == 0, r.stderr
    assert "2 paragraphs" in r.stdout


def test_utf16_without_bom_is_refused_by_name(tmp_path):
    src = tmp_path / "utf16.txt"
    src.write_bytes("1. 句容市宝华镇举行活动。\r\n2. 扬中市新坝镇有新项目。\r\n".encode("utf-16-le"))
    r = run("build", "--source", str(src), "--out", str(tmp_path / "b"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "UTF-16 without a byte-order mark" in lines[0]


def test_export_is_quiet_and_keeps_chinese_readable(build_dir, tmp_path):
    geojson = tmp_path / "x.geojson"
    r = run("export", "--build-dir", str(build_dir), "--industry", "航空航天", "-o", str(geojson))
    assert r.returncode == 0 and r.stderr == ""
    assert "镇江新区航空航天产业园" in geojson.read_text(encoding="utf-8")
    r = run("export", "--build-dir", str(build_dir), "--format", "gpkg", "-o", str(tmp_path / "x.gpkg"))
    assert r.returncode == 0 and r.stderr == "", r.stderr       # no "Created N records" lines from GDAL


def test_serve_on_a_taken_port_is_one_line(build_dir):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = run("serve", "--build-dir", str(build_dir), "--port", str(port))
    assert r.returncode == 2
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("planmap: error:")]
    assert errors == [f"planmap: error: cannot listen on 127.0.0.1:{port}: Address already in use"], r.stderr
    assert "Traceback" not in r.stderr
