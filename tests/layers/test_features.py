"""Features and the plan filters."""
from __future__ import annotations

import pytest

from geo.errors import BadInput
from layers.export import select
from layers.industries import CHAINS, CLUSTERS


def names(features):
    return {f["properties"]["name"] for f in features}


def test_every_feature_has_a_source_whose_quote_contains_the_mention(places, plan):
    for fid, f in places.items():
        sources = f["properties"]["sources"]
        assert sources, fid
        for s in sources:
            assert s["surface"] in s["quote"]
            assert s["quote"][s["quote_offset"]:s["quote_offset"] + len(s["surface"])] == s["surface"]
            assert plan.text[s["start"]:s["end"]] == s["surface"]
            assert s["paragraph"] == f"jianyi:{plan.paragraph_at(s['start']).id}"
            assert plan.paragraph_at(s["start"]).item == s["item"]


def test_one_feature_per_place(places):
    assert len(places) == len({f["properties"]["name"] for f in places.values()})
    xinqu = places["zone-zhenjiang-xinqu"]["properties"]
    assert xinqu["mentions"] == len(xinqu["sources"]) >= 3


def test_industry_filter_life_health(places):
    chosen = names(select(list(places.values()), {"industry": ["生命健康"]}))
    assert {"丹阳经开区生命科学产业园", "镇江新区大学科技园"} <= chosen
    assert "扬中智能电气产业园" not in chosen


def test_chains_select_their_parks(places):
    chosen = names(select(list(places.values()), {"industry": ["航空航天"]}))
    assert chosen == {"镇江新区航空航天产业园"}
    assert set(CHAINS.values()) <= set(CLUSTERS)


def test_filters_and_across_or_within(places):
    features = list(places.values())
    east_parks = select(features, {"zone": ["east-wing"], "category": ["park"]})
    assert east_parks and all(f["properties"]["category"] == "park" and "east-wing" in f["properties"]["zones"]
                              for f in east_parks)
    either = select(features, {"category": ["park", "road"]})
    assert {f["properties"]["category"] for f in either} == {"park", "road"}


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"belt": ["west"]}, "unknown belt 'west'; valid values: north, middle, south"),
        ({"zone": ["centre"]}, "unknown zone 'centre'; valid values: core, east-wing, west-wing"),
        ({"industry": ["钢铁"]}, "unknown industry '钢铁'; valid values: 高端装备制造"),
        ({"colour": ["red"]}, "unknown filter 'colour'; valid filters: belt, zone, industry, category"),
    ],
)
def test_unknown_filter_values_are_errors(places, filters, message):
    with pytest.raises(BadInput) as err:
        select(list(places.values()), filters)
    assert err.value.message.startswith(message)
