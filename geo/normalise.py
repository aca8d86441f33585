"""Folding text for matching only: the stored text is never changed.

Folding is character-for-character (one character in, one out), so an offset in the
folded text is the same offset in the original, and mentions point into the original.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Traditional forms of characters that occur in this region's place names; one-to-one.
_TRADITIONAL = str.maketrans({
    "鎮": "镇", "陽": "阳", "揚": "扬", "蘇": "苏", "區": "区", "縣": "县", "寶": "宝", "華": "华",
    "橋": "桥", "園": "园", "閘": "闸", "東": "东", "長": "长", "灣": "湾", "島": "岛", "嶺": "岭",
    "開": "开", "發": "发", "經": "经", "濟": "济", "興": "兴", "龍": "龙", "鐵": "铁",
    "團": "团", "寧": "宁", "滬": "沪", "國": "国", "際": "际", "運": "运",
    "灘": "滩", "豐": "丰", "資": "资", "蕩": "荡", "黃": "黄", "莊": "庄",
    "門": "门", "雲": "云", "線": "线", "場": "场", "蘆": "芦", "產": "产", "業": "业", "創": "创",
    "學": "学", "號": "号", "馬": "马", "連": "连", "鳳": "凤", "廣": "广", "廟": "庙",
})


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        return ch
    return folded.upper() if folded.isascii() and folded.isalpha() else folded


def fold(text: str) -> str:
    """Full-width → half-width, ASCII letters upper-cased, traditional → simplified; same length."""
    return "".join(_fold_char(ch) for ch in text.translate(_TRADITIONAL))
