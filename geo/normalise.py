"""Folding text for matching only: the stored text is never changed.

Folding is character-for-character (one character in, one out), so an offset in the
folded text is the same offset in the original, and mentions point into the original.
It is one table built once; only the characters it changes are replaced.
"""
from __future__ import annotations

import re

#: Traditional forms of characters that occur in this region's place names; one-to-one.
_TRADITIONAL = {
    "鎮": "镇", "陽": "阳", "揚": "扬", "蘇": "苏", "區": "区", "縣": "县", "寶": "宝", "華": "华",
    "橋": "桥", "園": "园", "閘": "闸", "東": "东", "長": "长", "灣": "湾", "島": "岛", "嶺": "岭",
    "開": "开", "發": "发", "經": "经", "濟": "济", "興": "兴", "龍": "龙", "鐵": "铁",
    "團": "团", "寧": "宁", "滬": "沪", "國": "国", "際": "际", "運": "运",
    "灘": "滩", "豐": "丰", "資": "资", "蕩": "荡", "黃": "黄", "莊": "庄",
    "門": "门", "雲": "云", "線": "线", "場": "场", "蘆": "芦", "產": "产", "業": "业", "創": "创",
    "學": "学", "號": "号", "馬": "马", "連": "连", "鳳": "凤", "廣": "广", "廟": "庙",
}


def _table() -> dict[int, str]:
    table = {ord(k): v for k, v in _TRADITIONAL.items()}
    # full-width forms U+FF01–FF5E are ASCII U+0021–007E shifted by 0xFEE0 (Ｇ３１２ → G312)
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0).upper()
    table[0x3000] = " "  # ideographic space
    for code in range(ord("a"), ord("z") + 1):
        table[code] = chr(code).upper()  # road codes: g312 → G312
    return table


_TABLE = _table()
#: The characters the table changes. A text holds few of them (its full-width commas, a road code), and
#: replacing just those is several times faster than translating every character through the table.
_FOLDED = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")


def _fold_one(match: re.Match[str]) -> str:
    return _TABLE[ord(match.group())]


def fold(text: str) -> str:
    """Full-width → half-width, ASCII letters upper-cased, traditional → simplified; same length."""
    return _FOLDED.sub(_fold_one, text)
