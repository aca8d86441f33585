"""What the plan says about each place it mentions: a stage and a set of actions.

The plan's sentences are regular: a verb governs the list of objects that follows it up
to the end of the clause (重点打造A、B、C等), a nominalised verb after a list applies to the
whole list (推动A、B升级发展, 推进A建设), the 十三五 review reports results (A、B等建成通车),
and a sentence may open with a topic whose clauses say what happens there
(东翼产业协同发展区，包括…，推动…协同布局…). These functions read that structure from the
text alone; they know nothing of maps. Where no verb of the vocabulary governs a mention,
its actions are empty: the analysis never guesses.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace

from .document import Document, Paragraph

#: The action vocabulary, with the Chinese label the explorer shows. One definition.
ACTIONS = {
    "build": "建设",
    "upgrade": "提升",
    "connect": "连通",
    "protect": "保护",
    "relocate": "搬迁",
    "cooperate": "合作",
}
#: Stages, in the order a project moves through them, with their labels.
STAGES = {"done": "已完成", "ongoing": "推进中", "planned": "规划"}

#: Words of the plan that carry an action, and the actions they carry. Longest match wins,
#: so 协同治理 (governance in concert) is cooperation, not environmental 治理.
LEXICON: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("建设", "打造", "新建", "培育", "建成", "构建", "组建", "兴建", "通过验收"), ("build",)),
    **dict.fromkeys(("提升", "升级", "优化", "拓展", "提高", "提质", "做强", "完善", "创建", "创成", "改造",
                     "实体化运作"), ("upgrade",)),
    **dict.fromkeys(("串联", "对接", "连通", "融入", "连为一体", "相连", "衔接", "融合", "延伸", "互联互通",
                     "接轨", "贯通", "连接"), ("connect",)),
    **dict.fromkeys(("保护", "修复", "整治", "治理", "增植补绿", "造林绿化", "禁渔", "污染防治",
                     "问题彻底解决"), ("protect",)),
    **dict.fromkeys(("搬迁", "关停", "腾退", "迁建"), ("relocate",)),
    **dict.fromkeys(("协同", "合作", "一体化", "联动", "互补", "协同治理"), ("cooperate",)),
    "共建": ("build", "cooperate"),
    # governance of society, not of the environment: no action, and no other word reads into them
    **dict.fromkeys(("社会治理", "市域治理", "基层治理", "治理体系", "治理能力", "治理机制", "治理方式"), ()),
}
_LEXICON_RE = re.compile("|".join(sorted(map(re.escape, LEXICON), key=len, reverse=True)))
#: An action word followed by one of these is a noun (建设水平, 保护区, 建设用地), not an action.
_NOMINAL_AFTER = re.compile(r"水平|能力|区|用地")

#: Completion words: a clause with one reports a result.
_DONE = re.compile(r"建成|通车|启用|通过验收|完成")
#: Words saying the work is already under way.
_ONGOING = re.compile(r"持续|继续|深入推进|稳步推进|加快推进|加快推动|深化|巩固")
#: Item titles of a review of the last plan period: everything in them is reported as achieved.
_REVIEW_TITLE = re.compile(r"十三五.*(?:成就|成果|成效)")

_CLAUSE_END = re.compile(r"[，,；;。！？!?：:]")
_SENTENCE_END = re.compile(r"[。！？!?]")
#: Text between two mentions of one enumeration: a list comma, a conjunction, or only quotes and
#: brackets (apposition: 世业镇"健康岛", 镇丹二通道(宝平路)).
_LIST_JOIN = re.compile(r"、|^[”’\"'）)]*等?(?:和|及|以及|与|或)[“‘\"'（(]*$|^[“”‘’\"'（）()]*$")
#: After a place, the start of a role it plays for someone else: 长三角重要区域中心城市.
_FRAME = re.compile(r"[”’\"']?[\u4e00-\u9fff]{0,6}?的?重要")
#: A region's name followed by 一体化 names a strategy (长三角一体化), not an action.
_STRATEGY = re.compile(r"一体化")
#: A list that is the axis of something else: 以沪宁交通大通道为轴.
_AXIS = re.compile(r"^[”’\"'）)]*等?为轴")
_DEFINITION = re.compile(r"包括")
_BETWEEN = re.compile(r"^[”’\"'）)]*等?之间")
#: A list that is what a non-action verb works on (推进A、B等重大交通基础设施) is built.
_WORKS = re.compile(r"^[”’\"'）)]*等?[^，,；;。]{0,10}?(?:基础设施|设施|工程)")

#: How far each rule is to be trusted: priors set by judgement, not fitted. ``benchmarks/intent.py``
#: reports each rule's measured share of exact action sets on the two gold lists.
CONFIDENCE = {
    "left verb": 0.9, "postposed verb": 0.85, "left and postposed verbs": 0.85, "topic": 0.7,
    "frame": 0.8, "axis": 0.8, "definition": 0.8, "works": 0.75, "no governing verb": 0.7,
}


@dataclass(frozen=True)
class Intent:
    """Stage and actions of one mention, with the words they rest on.

    ``verb``/``verb_start``/``verb_end`` are the first governing word and its offsets in the
    analysed text (document offsets from :func:`analyse`); empty when no verb governs.
    """

    stage: str
    actions: tuple[str, ...]
    verb: str
    verb_start: int | None
    verb_end: int | None
    action_rule: str
    stage_rule: str
    confidence: float

    def to_dict(self) -> dict:
        out = asdict(self)
        out["actions"] = list(self.actions)
        return out


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    actions: tuple[str, ...]


def action_words(text: str, spans: Sequence[tuple[int, int]]) -> list[_Word]:
    """Action words of ``text`` outside the mention ``spans`` (names such as 宁镇合作示范区 carry none)."""
    masked = list(text)
    for start, end in spans:
        masked[start:end] = "〇" * (end - start)
        tail = _STRATEGY.match(text, end)
        if tail:
            masked[end:tail.end()] = "〇" * (tail.end() - end)
    folded = "".join(masked)
    return [_Word(m.start(), m.end(), m.group(), LEXICON[m.group()]) for m in _LEXICON_RE.finditer(folded)
            if not _NOMINAL_AFTER.match(folded, m.end())]


def _bounds(pattern: re.Pattern, text: str, at: int) -> tuple[int, int]:
    left = max((m.end() for m in pattern.finditer(text, 0, at)), default=0)
    m = pattern.search(text, at)
    return left, (m.start() if m else len(text))


def _enumerations(text: str, spans: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Indices of ``spans`` grouped into the lists they form within a clause."""
    groups: list[list[int]] = []
    for i, (start, _) in enumerate(spans):
        if groups:
            prev_end = spans[groups[-1][-1]][1]
            between = text[prev_end:start]
            if not _CLAUSE_END.search(between) and _LIST_JOIN.search(between):
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def _union(words: Iterable[_Word]) -> tuple[str, ...]:
    found = {a for w in words for a in w.actions}
    return tuple(a for a in ACTIONS if a in found)


def analyse_text(text: str, spans: Sequence[tuple[int, int]], *, review: bool = False) -> list[Intent]:
    """One :class:`Intent` per mention span of a paragraph's ``text`` (spans sorted, offsets into ``text``).

    ``review`` says the paragraph reports the last period's results (every stage is then ``done``).
    """
    spans = list(spans)
    words = action_words(text, spans)
    out: list[Intent | None] = [None] * len(spans)
    for group in _enumerations(text, spans):
        first, last = spans[group[0]][0], spans[group[-1]][1]
        c_start, c_end = _bounds(_CLAUSE_END, text, first)
        after = [w for w in words if last <= w.start < c_end]
        for i in group:
            start, end = spans[i]
            out[i] = _one(text, spans, words, (start, end), (first, last), (c_start, c_end), after, review)
    return [intent for intent in out if intent is not None]


def _one(text: str, spans: list[tuple[int, int]], words: list[_Word], span: tuple[int, int],
         group: tuple[int, int], clause: tuple[int, int], after: list[_Word], review: bool) -> Intent:
    start, end = span
    first, last = group
    c_start, c_end = clause
    rest = text[last:c_end]
    left = [w for w in words if c_start <= w.start and w.end <= start]
    # the nearest verb before the list governs it, unless a list comma shows it governs an earlier item;
    # a verb inside the list (规划建设的扬镇宁马城际) governs the item it modifies
    governor = left[-1] if left and left[-1].actions else None
    after = [w for w in after if w.actions]
    if governor is not None and governor.end <= first and (
            re.match(r"[”’\"']*、", text[governor.end:first])  # the verb ends a list item: 一带一路建设、…
            or "在" in text[c_start:governor.start] and "中" in text[governor.end:first]):  # 在…发展中
        governor = None
    governing: list[_Word] = []
    if _FRAME.match(text, end) or _FRAME.match(text, last):
        rule = "frame"
    elif _AXIS.match(rest):
        rule = "axis"
        governing = [governor] if governor is not None and governor.start >= first else []
    elif _DEFINITION.search(text, c_start, start):
        rule = "definition"
    elif text[c_start:start].strip() == "" and _only_quotes(text[end:c_end]) and c_start == _bounds(
            _SENTENCE_END, text, start)[0]:
        s_end = _bounds(_SENTENCE_END, text, start)[1]
        governing = [w for w in words if c_end <= w.start < s_end and w.actions]
        rule = "topic" if governing else "no governing verb"
    else:
        governing = ([governor] if governor else []) + after
        rule = ("left and postposed verbs" if governor and after else "left verb" if governor
                else "postposed verb" if after else "works" if _WORKS.match(rest) else "no governing verb")
        if rule == "works":
            governing = [_Word(last, last, "", ("build",))]
    actions = _union(governing)
    if rule != "frame" and _BETWEEN.match(rest) and actions:
        actions = _union([*governing, _Word(0, 0, "之间", ("connect",))])
    stage, stage_rule = _stage(text, clause, start, review)
    verb = next((w for w in governing if w.text), None)
    return Intent(stage, actions, verb.text if verb else "", verb.start if verb else None,
                  verb.end if verb else None, rule, stage_rule, CONFIDENCE[rule])


def summary(intents: Iterable[Intent]) -> dict[str, list[str]]:
    """A place's ``stages`` and ``actions``: every value its mentions have, in vocabulary order."""
    intents = list(intents)
    stages = {i.stage for i in intents}
    actions = {a for i in intents for a in i.actions}
    return {"stages": [s for s in STAGES if s in stages], "actions": [a for a in ACTIONS if a in actions]}


def _only_quotes(text: str) -> bool:
    return all(c in "“”‘’\"'" for c in text)


def _stage(text: str, clause: tuple[int, int], start: int, review: bool) -> tuple[str, str]:
    c_start, c_end = clause
    if review:
        return "done", "review of the last plan period"
    done = _DONE.search(text, c_start, c_end)
    if done:
        return "done", f"completion word {done.group()}"
    ongoing = _ONGOING.search(text, c_start, start) or _ONGOING.search(text, c_start, c_end)
    if ongoing:
        return "ongoing", f"under-way word {ongoing.group()}"
    return "planned", "default"


def is_review(paragraph: Paragraph) -> bool:
    """Whether a paragraph belongs to the review of the last period (item 1 of this plan)."""
    return bool(paragraph.title and _REVIEW_TITLE.search(paragraph.title))


def analyse(doc: Document, mentions: Sequence) -> list[Intent]:
    """Intents for mentions (anything with ``start``, ``end`` and ``paragraph``), in the given order,
    with verb offsets into ``doc.text``."""
    by_paragraph: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        by_paragraph.setdefault(m.paragraph, []).append(i)
    review_items = {p.item for p in doc.paragraphs if p.kind == "item" and is_review(p)}
    out: list[Intent | None] = [None] * len(mentions)
    for pid, indices in by_paragraph.items():
        paragraph = doc.paragraph(pid)
        indices.sort(key=lambda i: mentions[i].start)
        spans = [(mentions[i].start - paragraph.start, mentions[i].end - paragraph.start) for i in indices]
        review = paragraph.item is not None and paragraph.item in review_items
        for i, intent in zip(indices, analyse_text(paragraph.text, spans, review=review), strict=True):
            if intent.verb_start is not None and intent.verb_end is not None:
                intent = replace(intent, verb_start=intent.verb_start + paragraph.start,
                                 verb_end=intent.verb_end + paragraph.start)
            out[i] = intent
    return [intent for intent in out if intent is not None]
