"""Shared test inputs, defined once."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "source" / "zhenjiang-14th-fyp-recommendations.txt"
DATA = Path(__file__).resolve().parent / "data"

#: A short text in the plan's own shape: two sections, three items, a sub-paragraph.
MINI_PLAN = """标题示例

2021-01-01 10:08

前言段落。

一、第一部分

1.第一条标题。正文内容在镇江新区。

——坚持某事。

二、第二部分

本部分引言。

2.第二条标题。句容市宝华镇。

3.第三条标题。扬中市。

结束语段落。

来源:示例日报
"""


def feature_count(path) -> int:
    """Features in every spatial layer of a file, as GDAL reads it (attribute tables such
    as a GeoPackage's layer_styles are not features)."""
    import pyogrio

    return sum(pyogrio.read_info(path, layer=name)["features"]
               for name, geometry in pyogrio.list_layers(path) if geometry is not None)

#: Three short texts of a plan family written for the tests (see tests/data/family/README.md).
FAMILY = DATA / "family"

#: Two paragraphs about two towns: a build small enough to repeat in a test.
TOWNS = "句容市宝华镇举行活动。\n\n扬中市新坝镇有新项目。\n"
