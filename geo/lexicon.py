"""The words around place names in Chinese text: what ends a place's name, what makes a known name
only the prefix of a longer one, what a unit names right after it, what is running text.

Pure data and pure functions over strings; the rules that use them are in :mod:`geo.geoparser`.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .document import Paragraph
from .gazetteer.entry import Entry

#: Place-type words that, right after a known name, make a longer name of another place
#: (南京 + 南站, 句容 + 河, 扬子江 + 城市群): the known name is then only a prefix.
NESTED_ADJACENT = re.compile(
    r"(?:[东南西北]站|站|[东南西北中]?路|大街|街|大道|河(?!豚)|湖|港区|港|大桥|[二三四]桥|机场|都市圈|城市群|经济圈|经济区"
    r"|高速|铁路|城际|科学城|大学城|新城|新区|水库|老街|古街|古镇|旅游度假区|度假区|风景区|碑林|船闸|博物馆|纪念馆"
    r"|公园|广场|码头|渡口|汽渡|隧道|枢纽|服务区|收费站|互通|湿地|小区|新村|水厂|电厂|寺|大学|村|社区|景区|竹海|林场"
    r"|山(?![水区地林体峦川河歌])(?![东西南北](?![东西南北侧面部麓边脚]))|桥(?![头梁下上])|闸|巷|铁矿|矿区|洞|泉|宫|亭|庵|祠"
    r"|古渡|运河|通道|作业区|地铁|轨道交通|[0-9一二三四五六七八九十]+号(?:线|公路))"
)
#: Place-type words that may follow a known name after a few characters of its own
#: (镇江 + 数据湖 + 产业园, 句容市 + 人民 + 医院).
NESTED_GAP = re.compile(
    r"(?P<gap>[\u4e00-\u9fff]{0,4}?)(?:产业园|科技园|工业园|医院|中学|小学|学院|科学城|大学城|新城|新区|开发区|高新区|经开区"
    r"|管委会|机场|火车站|高铁站|站|港|旅游度假区|度假区|风景区|博物馆|纪念馆|大桥|[一二三四]桥"
    r"|公园|广场|码头|汽渡|渡口|体育馆|体育中心|图书馆|美术馆|大剧院|大学|纪念碑|枢纽|园(?![区林艺地丁]))"
)
#: Institutions name the place they stand in or by, after a qualifier, even when that place's name is
#: complete (茅山 + 新四军 + 纪念馆, 金山 + 公园): the only gap words allowed after a complete name.
INSTITUTION_GAP = re.compile(r"(?P<gap>[\u4e00-\u9fff]{0,4}?)(?:纪念馆|博物馆|医院|大学|学院|公园)")
#: A road word after a nested name makes the road named after it the place (丁卯桥 + 路).
ROAD_AFTER = re.compile(r"(?:[东南西北中]?路|大道|大街)")
#: A name already ending in a place-type word of its own (高资街道, 扬州东站, 南徐大道) is complete: what
#: follows it after a gap is running text (扬州东站出站, 南徐大道串起南徐新城), not a longer name.
COMPLETE = re.compile(r"(?:街道|镇|乡|村|社区|站|路|大道|街|铁路|高速|城际|桥|港区|港|园|园区|片区|新城|新区|开发区|高新区|经开区"
                       r"|风景区|度假区|山|湖|河|寺|塔|机场"
                       r"|[0-9A-Za-z])$")
#: What a unit's text names right after it, inside it (正东路街道 + 贺家弄社区, 新坝镇 + 新治村, 丹阳市 +
#: 云阳路): an unknown name of two to four characters and the type word of a smaller place.
CHILD_TYPES = ("社区", "新村", "公园", "广场", "大道", "大街", "公路", "老街", "小区", "码头", "水库", "村", "路", "街", "巷",
               "湖", "河", "寺")
#: Type words a child name must not run on into (正东路 + 街道 is one name, 华山村 + 委 is its committee,
#: 洋灯河 + 码头 a wharf).
CHILD_ON = re.compile(r"(?:街道|社区|村|路|街|巷|小区|镇|乡|委|民|级|庄|落|口|头|道|边|段|沿|两侧|码头|公园|广场|景区|湿地"
                      r"|水库|大桥|桥|闸|港|寺)")
#: Generic phrases that end like a child place (新农村, 美丽乡村, 示范社区, 镇村公路, 背街小巷, 城中村, 公交线路): an
#: opening word (丹阳 + 段完成路: the road's section in a unit), a unit's last character at the end, a type word
#: or a function word (镇江已对白莲巷) inside.
CHILD_GENERIC = re.compile(
    r"(?:^(?:全|各|每|多|该|本|这|那|其|一|二|三|几|所|有|示范|特色|重点|美丽|文明|和谐|中心|行政|自然|城市|城乡"
    r"|农村|乡村|主干|快速|智慧|绿色|生态|宜居|老旧|新农|新型|新建|老城|旧城|完整|未来|数字|低碳|大街|大小|主要|部分"
    r"|周边|沿线|附近|境内|辖区|街头|背街|道路|马路|镇村|镇区|县乡|乡镇|安置|早期|保障|城中|城郊|城边"
    r"|两|数|十|首|主|次|第|历史|文化|商业|步行|美食|休闲|景观|滨江|沿江|环湖|环山|绕城|过境|口袋|湿地|森林|城后|城外|城内|城里"
    r"|郊野|主题|遗址|体育|市民|先进|富裕|贫困|薄弱|空心|典型|试点|样板|高等级|国省|干线|普通|无疫|平安|公交|段))"
    r"|(?:农|城|乡|居|市|区|县|镇|省)$|[街巷路道区村线]|[已对了被于以也都还又就才从这那个们完成]")
#: Endings of a town's short name that name a feature first (八卦洲 the island, 新街口 the square, 天目湖
#: the lake): the town is named after it.
FEATURE_END = re.compile(r"(?:湖|洲|口|街|寺|岛|门|桥)$")
#: One-character names of the cities around the region that groups of cities are written with
#: (宁镇扬, 苏锡常): 宁镇 followed by 常 is another group (宁镇常), not 宁镇.
CITY_INITIALS = frozenset("宁镇扬常泰锡苏通沪杭嘉湖马芜滁宣盐淮徐连宿")
#: The directions a road's sections are named by (解放南路, 中山东路).
DIRECTIONS = "东西南北中"
#: The type words of roads and streets.
ROAD_END = re.compile(r"(?:路|大道|大街|街)$")
#: Units a child name is read inside: counties, cities and towns (a province is too large to say anything).
CHILD_PARENTS = frozenset({"admin", "town"})
#: Between the names of an enumeration of children (新治村、长旺村和永胜村).
ENUMERATION = frozenset("、和与及")
#: Characters of verbs and connectives: a gap holding one is running text, not part of a name.
VERBISH = re.compile(r"[建设推进展办在和与及等的为向沿至到是有将把让]")
#: A town's 片区 is the town's development area (高资片区 = 高资): the same place.
TOWN_AREA = "片区"
#: A county's urban area (句容城区, 丹阳市区, 扬中主城区), for which no entry of its own exists.
URBAN = re.compile(r"(?:主城区|老城区|城区|市区)(?![域划])")
#: Dashes that join two places into a cross-boundary one (仙林—宝华科学城).
DASHES = "—–-－~～"
#: Words a unit's last character starts (和县域, 滨江区域, 沿江村庄): the unit's name is not meant.
AREA_WORDS = frozenset({"县域", "区域", "市域", "省域", "镇域", "村庄"})
#: Characters after which a short form (新区) still begins a word (原名花山: after a verb of naming too).
JOINERS = frozenset("和与及在到向从至跟同是为由把将让往入进出赴经过返回抵去来名称叫")
#: Words the names of units outside the region end with: those names (thousands) are found by looking
#: back from these words, not by an automaton scan whose cost grows with the number of names.
OUTER_WORD = re.compile(r"街道|镇|乡|村|社区|区|县|市|省|旗|盟|州")
OUTER_END = re.compile(r"(?:街道|镇|乡|村|社区|区|县|市|省|旗|盟|州)$")
#: The unit words a town's short name drops (仙林 for 仙林街道, 汤山 for 汤山街道).
TOWN_SUFFIX = re.compile(r"(?:街道|镇|乡)$")
#: Short names of towns that are ordinary words (沿江街道 → 沿江 "along the river"): never matched.
COMMON_SHORT = frozenset({
    "沿江", "滨江", "江北", "江南", "城东", "城西", "城南", "城北", "城中", "城关", "东城", "西城", "南城", "北城",
    "新城", "新区", "中心", "开发", "经济", "工业", "新街", "老街", "东风", "红旗", "胜利", "和平", "解放", "人民",
    "建设", "新华", "前进", "幸福", "长江", "太平", "永安", "东方", "中华", "光明", "白马", "新港", "高新", "大桥",
})
#: Names of counties that are also ordinary words (洛阳's 老城区 "the old town", 海门 in 江海门户): they
#: count only next to a unit above them (洛阳老城区) or with one named in the same sentence.
COMMON_UNITS = frozenset({"老城区", "城区", "郊区", "矿区", "新城区", "港口区", "海门", "市中区"})
#: Where sentences end: the context rules look at the sentence a name stands in.
SENTENCE_END = re.compile(r"[。！？；!?;\n]")

#: Zone words the plan enumerates with a shared prefix: 丹阳经开区、高新区 = 丹阳高新区.
ELIDABLE = ("经开区", "高新区", "开发区")

#: Spans that look like places: a run of Han characters ending in a place-type word, or a road code.
#: Place-type words that end a place-like span (spans the gazetteer may not know yet).
TYPE_WORDS = (r"(?:产业园|科技园|园区|片区|新城|经开区|高新区|开发区|示范区|集聚区"
               r"|创新社区|新社区|街道|镇|铁路|城际|高铁|高速|大桥|港区|港)")
#: What looks like a place the gazetteer may not know: a road code, or Han text before a type word. The
#: specification of ``place_like_spans``, which finds the same spans faster.
PLACE_LIKE = re.compile(rf"(?:[GS]\d{{2,4}}(?:国道|省道|高速)?)|(?:[\u4e00-\u9fff]{{2,12}}{TYPE_WORDS})")
TYPE_WORD = re.compile(rf"{TYPE_WORDS}$")
_TYPE_AT = re.compile(TYPE_WORDS)
_TYPE_STARTS = re.compile(rf"(?={TYPE_WORDS})")
_ROAD_CODE = re.compile(r"[GS]\d{2,4}(?:国道|省道|高速)?")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
#: Words a place-like span is cut after (verbs and connectives that precede names in the plan).
LEADING = re.compile(
    r"(?:推动|推进|加快|建设|打造|提升|支持|依托|发展|做强|培育|围绕|聚焦|实施|构建|形成|加强"
    r"|规划|启动|争创|创建|高标准|高水平|优化|完善|实现|促进|深化|鼓励|引导|激活|集聚|共建|绘就|强化|结合"
    r"|位于|地处|紧邻|毗邻|隶属|合并|并入|距离|距|离|走进|进入|前往|来到|途经|经过|穿过|通往"
    r"|在建|新建|以|在|和|与|及|等|的|为|向|沿|至|到|了)"
)
#: Those words right before a position (推动 + 开发区: the short form begins a word).
LEADING_BEFORE = re.compile(f"(?:{LEADING.pattern})$")
#: Openings of generic phrases that end like places (国家级开发区, 一批创新社区, 特色园区).
GENERIC_START = re.compile(
    r"^(?:国家|省级|省|一批|特色|绿色|现代|各类|新型|乡村|物流|产业|重点|美丽|创成|中外合作|更多|上|合作|现有|沿江)"
)
#: 镇 after a verb of motion is short for 镇江, not a town: 来镇创新创业 "come to Zhenjiang to start up".
TO_ZHENJIANG = re.compile(r"(?:来|到|在|聚|留|返|回|赴)镇$")
#: Generic words that end like places but name none.
GENERIC = frozenset({
    "城镇", "乡镇", "小城镇", "特色小镇", "重点镇", "中心镇", "集镇", "港口", "园区", "开发区", "社区",
    "城乡社区", "新城", "片区", "高新区", "经开区", "示范区", "集聚区", "铁路", "城际", "高速", "大桥",
    "港", "湖", "山", "洲", "镇", "街道", "金山银山", "江山", "青山", "名山",
})


def han(text: str) -> bool:
    """Whether ``text`` is all Han characters (the names this module reads are)."""
    return bool(text) and all("\u4e00" <= c <= "\u9fff" for c in text)


def stands_alone(text: str, start: int, paragraph: Paragraph) -> bool:
    """Whether a short form at ``start`` begins a word: not glued to the character before it."""
    if start == paragraph.start:
        return True
    before = text[start - 1]
    return not han(before) or before in JOINERS or LEADING_BEFORE.search(text, max(paragraph.start, start - 4), start) is not None


def cut_point(span: str) -> int:
    """Where a place-like span starts after the verbs and connectives before it: after the last
    one that leaves a generic word or a name of two or more characters before its type word
    (推动镇江新区… → 镇江新区…; 沿江片区 is not cut to 江片区)."""
    for m in reversed(list(LEADING.finditer(span))):
        rest = span[m.end():]
        if not rest:
            continue
        word = type_word(rest)
        if word and len(rest) - len(word) == 1 and not (rest in GENERIC or GENERIC_START.match(rest)):
            continue
        return m.end()
    return 0


def names_road_after(parent: Entry, surface: str, name: str) -> bool:
    """Whether ``name`` is a road named after a city or province written by its short name (南京路,
    北京东路): streets across China take the names of other cities, so it need not lie in it. A road
    named after a district (栖霞大道) is that district's."""
    return (parent.id.startswith("admin-") and unit_depth(parent.id) <= 2 and surface != parent.name
            and bool(ROAD_END.search(name)))


def unit_depth(eid: str) -> int:
    """How specific a unit is, from its id: a province 1, a city 2, a county 3, anything smaller 4."""
    if not eid.startswith("admin-"):
        return 4
    code = eid.removeprefix("admin-")
    return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3


def child_name_at(text: str, kind: str | None) -> tuple[str, str] | None:
    """The child name ``text`` starts with and its type word (only ``kind`` in an enumeration), or None."""
    if not han(text[:1]):
        return None
    for n in (2, 3, 4):
        name = text[:n]
        if not han(name) or VERBISH.search(name) or CHILD_GENERIC.search(name):
            continue
        for word in (kind,) if kind else CHILD_TYPES:
            if text.startswith(word, n) and not CHILD_ON.match(text, n + len(word)):
                return name + word, word
    return None


def place_like_spans(text: str) -> list[tuple[int, int]]:
    """The spans ``PLACE_LIKE.finditer(text)`` finds, found from the type words back.

    The regular expression tries twelve lengths of Han text at every character and backtracks
    through its type words at each; a text has few type words, so starting from them is several
    times cheaper. Same result: leftmost spans, each the longest run of two to twelve Han
    characters before a type word (the first of ``TYPE_WORDS`` that matches there), a road code
    wherever one starts first.
    """
    types = [m.start() for m in _TYPE_STARTS.finditer(text)]
    roads = [m.span() for m in _ROAD_CODE.finditer(text)]
    runs = [m.span() for m in _HAN_RUN.finditer(text)]
    run_starts = [a for a, _ in runs]

    def run_of(x: int) -> tuple[int, int] | None:
        k = bisect_right(run_starts, x) - 1
        return runs[k] if k >= 0 and runs[k][1] > x else None

    def next_han(pos: int) -> tuple[int, int] | None:
        for i in range(bisect_left(types, pos + 2), len(types)):
            q = types[i]
            run = run_of(q - 1)
            if run is None:
                continue
            start = max(pos, q - 12, run[0])
            if q - start >= 2:
                limit = min(start + 12, run[1])
                last = types[bisect_right(types, limit) - 1]  # the longest: greedy, as the expression is
                match = _TYPE_AT.match(text, last)
                assert match is not None
                return start, match.end()
        return None

    out: list[tuple[int, int]] = []
    pos, r = 0, 0
    while True:
        while r < len(roads) and roads[r][0] < pos:
            r += 1
        han_span = next_han(pos)
        road = roads[r] if r < len(roads) else None
        span = han_span if han_span is not None and (road is None or han_span[0] < road[0]) else road
        if span is None:
            return out
        out.append(span)
        pos = span[1]


def type_word(span: str) -> str:
    """The place-type word a place-like span ends with (产业园, 镇, G312 has none)."""
    m = TYPE_WORD.search(span)
    return m.group() if m else ""


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in SENTENCE_END.finditer(text):
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds
