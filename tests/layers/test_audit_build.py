"""`planmap audit` run as a user runs it, on the real build."""
from __future__ import annotations

import subprocess

import pytest

from layers.audit import OWN_SHARE, audit, load_build
from tests.test_cli import PLANMAP


@pytest.fixture(scope="module")
def audited(build_dir):
    r = subprocess.run([*PLANMAP, "audit", "--build-dir", str(build_dir)], capture_output=True, text=True,
                       timeout=300)
    broken = [line.strip().removeprefix("BROKEN: ") for line in r.stdout.splitlines() if "BROKEN:" in line]
    return r, broken


def test_audit_reviews_every_place_and_exits_by_its_rules(audited):
    r, broken = audited
    summary = [line for line in r.stdout.splitlines() if line.startswith("planmap audit:")]
    assert len(summary) == 1, r.stdout[-2000:] + r.stderr
    assert r.returncode == (1 if broken else 0)
    assert f" {len(broken)} broken rules" in summary[0]
    # every place gets its review lines: class, basis, nearest other place, source and URLs
    assert "landmark-zhenjiang-station  镇江站  [landmark]  class " in r.stdout
    assert "    urls: https://" in r.stdout


def test_no_stacked_places_no_unsupported_class_no_stray_place_on_the_build(audited):
    """Every rule but the share of places with a position of their own (next test) holds."""
    r, broken = audited
    assert " 0 groups stacked" in r.stdout
    assert [b for b in broken if not b.startswith("only ")] == []


@pytest.mark.xfail(strict=True, reason="the curated table does not yet give 90 % of parks, zones, institutions "
                                       "and landmarks a position of their own (research in progress); strict: "
                                       "remove this marker when the audit passes")
def test_most_places_have_a_position_of_their_own(build_dir):
    report = audit(*load_build(build_dir))
    assert report.own_share >= OWN_SHARE, f"{report.own_share:.0%} of {report.own_total}"
    assert report.ok
