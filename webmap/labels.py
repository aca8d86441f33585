"""The explorer's Chinese labels for the plan's filter values and categories (UI text only)."""
from __future__ import annotations

from layers.industries import ALL as INDUSTRIES

CATEGORY_LABELS = {
    "structure": "空间结构（一体两翼三带）", "admin": "行政区", "region": "区域", "zone": "功能区 / 片区",
    "park": "产业园", "community": "创新社区", "town": "镇 / 街道", "corridor": "走廊 / 产业带",
    "road": "道路", "rail": "铁路", "bridge": "桥梁", "river": "河湖", "landmark": "地标 / 港口",
    "institution": "高校 / 院所",
}
#: Layers switched on when the page opens; regions (长三角 …) would cover the whole view.
SHOWN = frozenset(CATEGORY_LABELS) - {"region"}
BELT_LABELS = {"north": "北线 沿江带", "middle": "中线 产业创新带", "south": "南线 绿色生态带"}
ZONE_LABELS = {"core": "一体 中部城市", "east-wing": "东翼 产业协同", "west-wing": "西翼 创新协同"}


def filter_groups() -> list[dict]:
    def values(labels: dict[str, str]) -> list[dict]:
        return [{"key": k, "label": v} for k, v in labels.items()]

    return [
        {"key": "belt", "label": "发展带", "values": values(BELT_LABELS)},
        {"key": "zone", "label": "一体两翼", "values": values(ZONE_LABELS)},
        {"key": "industry", "label": "产业", "values": [{"key": i, "label": i} for i in INDUSTRIES]},
        {"key": "category", "label": "类别", "values": values(CATEGORY_LABELS)},
    ]
