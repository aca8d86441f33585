"""The plan's industry taxonomy and which places it assigns industries to.

Everything here is read off the text: item 10 names four clusters and eight chains;
item 13 says which parks and zones serve which clusters; item 9 names the industries
of the north and south belts. A park's own name (…航空航天产业园) selects its chain.
Names are kept exactly as the plan writes them, so a filter value is a phrase of the plan.
"""
from __future__ import annotations

#: Item 10: 四大产业集群.
CLUSTERS = ("高端装备制造", "生命健康", "数字经济", "新材料")

#: Item 10: 八条产业链, each with the cluster it belongs to (planmap's reading: the plan
#: lists chains after clusters without pairing them; the pairing follows the chains' sectors).
CHAINS = {
    "新型电力(新能源)装备": "高端装备制造",
    "汽车及零部件(新能源汽车)": "高端装备制造",
    "高性能材料": "新材料",
    "医疗器械和生物医药": "生命健康",
    "新一代信息技术": "数字经济",
    "航空航天": "高端装备制造",
    "海工装备": "高端装备制造",
    "智能农机设备": "高端装备制造",
}

#: Item 9: industries the plan gives the belts themselves.
BELT_INDUSTRIES = {
    "north": ("高端装备制造", "新材料", "智能电气", "汽车零部件", "航运物流"),
    "south": ("高效农业", "休闲观光", "生态旅游", "健康养老"),
}

#: A word in a place's own name → the chain (or cluster) it selects.
NAME_KEYWORDS = (
    ("航空航天", "航空航天"),
    ("智能电气", "新型电力(新能源)装备"),
    ("新能源", "新型电力(新能源)装备"),
    ("汽车", "汽车及零部件(新能源汽车)"),
    ("铝材料", "高性能材料"),
    ("木业", "高性能材料"),
    ("海洋电气", "海工装备"),
    ("生命科学", "医疗器械和生物医药"),
    ("生命健康", "生命健康"),
)

#: Item 13: named places → industries, as the sentences group them.
ASSIGNMENTS = (
    # 聚焦高端装备制造、新材料等产业,重点打造 …产业园 (the parks' names select the chains)
    (("镇江新区航空航天产业园", "扬中智能电气产业园", "丹徒生态汽车产业园", "镇江新区新能源产业园",
      "镇江高新区中船海洋电气科技产业园"), ("高端装备制造",)),
    (("京口高性能铝材料产业园", "新民洲中林生态木业产业园"), ("新材料",)),
    # 加快新一代信息技术等数字经济在 … 等园区集聚
    (("镇江高新区", "丹阳高新区", "句容经开区", "大禹山创意新社区", "官塘创新社区"),
     ("数字经济", "新一代信息技术")),
    # 重点建设丹阳经开区生命科学产业园、镇江新区大学科技园等生命健康产业集聚区
    (("丹阳经开区生命科学产业园", "镇江新区大学科技园"), ("生命健康",)),
    # item 9: 丹阳生命健康产业区
    (("丹阳生命健康产业区",), ("生命健康",)),
)

ALL = CLUSTERS + tuple(CHAINS) + tuple(dict.fromkeys(i for v in BELT_INDUSTRIES.values() for i in v
                                                     if i not in CLUSTERS))


def industries_for(name: str, aliases: tuple[str, ...] = ()) -> list[str]:
    """Industries of a place by its name: the assignments above plus its name's keywords.

    Chains bring their cluster, so filtering by a cluster finds the parks of its chains.
    """
    names = {name, *aliases}
    found: list[str] = []
    for places, industries in ASSIGNMENTS:
        if names & set(places):
            found += industries
    for keyword, industry in NAME_KEYWORDS:
        if keyword in name:
            found += [industry, CHAINS.get(industry, industry)]
    return _ordered(found)


def _ordered(industries: list[str]) -> list[str]:
    """Deduplicated, clusters first, then chains, in the plan's order."""
    unique = set(industries)
    return [i for i in ALL if i in unique]
