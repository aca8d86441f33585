"""The sentence around a mention, which is what a reader wants in a popup."""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[。！？；!?;]")
#: Sentences in this plan run to several hundred characters; past this, quote a window.
MAX_QUOTE = 160
WINDOW = 60


def quote(text: str, start: int, end: int) -> tuple[str, int]:
    """(quote, offset of the mention inside the quote) for ``text[start:end]``.

    ``start``/``end`` are offsets into ``text``; the quote always contains the mention.
    """
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    after = _SENTENCE_END.search(text, end)
    right = after.end() if after else len(text)
    if right - left > MAX_QUOTE:
        left = max(left, start - WINDOW)
        right = min(right, end + WINDOW)
    return text[left:right], start - left
