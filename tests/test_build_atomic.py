"""Builds are atomic: a build killed at any moment leaves the previous one intact and servable."""
from __future__ import annotations

import shutil
import signal
import subprocess
import time

import pytest

from geo.errors import DocumentError
from layers.build import build, recover
from tests.common import PLAN
from tests.test_cli import PLANMAP
from webmap.store import Store


@pytest.fixture
def previous(build_dir, tmp_path):
    """A copy of a finished build, with a marker file that only the previous build has."""
    out = tmp_path / "build"
    shutil.copytree(build_dir, out)
    (out / "previous.marker").write_text("old")
    return out


@pytest.mark.parametrize("delay", [0.2, 0.6, 1.0, 1.4, 2.0])
def test_killed_build_leaves_previous_build(previous, delay):
    before = (previous / "places.geojson").read_bytes()
    proc = subprocess.Popen([*PLANMAP, "build", "--source", str(PLAN), "--out", str(previous)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    recover(previous)   # what the next build or `planmap serve` does first
    assert previous.is_dir()
    if (previous / "previous.marker").exists():
        assert (previous / "places.geojson").read_bytes() == before
    # either the old build or a complete new one: both load
    store = Store.load(previous)
    assert len(store.features) > 50


def test_interrupted_swap_is_recovered(previous):
    # the one moment between the two renames of the swap: target gone, old build aside
    old = previous.with_name(f".{previous.name}.old")
    previous.rename(old)
    recover(previous)
    assert (previous / "previous.marker").exists() and not old.exists()


def test_bad_document_never_touches_the_build(previous, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("一、甲\n\n1.一。\n\n1.重复。\n", encoding="utf-8")
    with pytest.raises(DocumentError):
        build(bad, previous)
    assert (previous / "previous.marker").exists()
    assert not list(previous.parent.glob(".build.tmp-*"))
