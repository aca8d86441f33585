"""The clause rules of geo/intent.py, pinned on sentences of the plan, and its score on the gold list."""
from __future__ import annotations

import json
from types import SimpleNamespace

from geo.intent import ACTIONS, analyse, analyse_text
from tests.intent_gold import load_intent_gold, score_intents


def run(text: str, *surfaces: str, review: bool = False) -> dict:
    """Intents of ``surfaces`` (found left to right in ``text``), keyed by surface."""
    spans, at = [], 0
    for s in surfaces:
        start = text.index(s, at)
        spans.append((start, start + len(s)))
        at = start + len(s)
    return dict(zip(surfaces, analyse_text(text, spans, review=review), strict=True))


PARKS = ("镇江新区航空航天产业园", "扬中智能电气产业园", "丹徒生态汽车产业园", "京口高性能铝材料产业园",
         "镇江新区新能源产业园", "镇江高新区中船海洋电气科技产业园", "新民洲中林生态木业产业园")


def test_a_verb_governs_the_whole_list_however_far_its_last_object():
    text = "重点打造" + "、".join(PARKS) + "等;"
    got = run(text, *PARKS)
    for park in PARKS:
        assert got[park].actions == ("build",)
        assert (got[park].verb, got[park].verb_start, got[park].action_rule) == ("打造", 2, "left verb")
    assert text.index(PARKS[-1]) - 4 > 70  # the last object stands 72 characters after its verb


def test_a_nominal_verb_after_the_list_is_shared_by_every_item():
    got = run("推动丁卯科技新城、丹徒高新技术产业园升级发展", "丁卯科技新城", "丹徒高新技术产业园")
    assert [i.actions for i in got.values()] == [("upgrade",), ("upgrade",)]
    assert {i.action_rule for i in got.values()} == {"postposed verb"}
    got = run("推进镇江老城区、南徐片区、丹徒新城、官塘创新社区连为一体", "镇江老城区", "官塘创新社区")
    assert got["镇江老城区"].actions == got["官塘创新社区"].actions == ("connect",)


def test_the_review_reports_results():
    text = "连镇铁路、五峰山大桥、新312国道、镇丹高速、丁卯高架等一批重大交通设施建成通车。"
    got = run(text, "连镇铁路", "丁卯高架", review=True)
    assert [(i.stage, i.actions) for i in got.values()] == [("done", ("build",))] * 2
    # a completion word says so outside the review too
    assert run(text, "连镇铁路")["连镇铁路"].stage == "done"
    got = run("高校园区建成启用,江苏航空职业技术学院组建招生", "高校园区", "江苏航空职业技术学院", review=True)
    assert [i.actions for i in got.values()] == [("build",), ("build",)]


def test_under_way_work_is_ongoing_and_the_rest_planned():
    assert run("稳步推进丹阳练湖新城建设", "丹阳练湖新城")["丹阳练湖新城"].stage == "ongoing"
    assert run("深入推进健康镇江建设", "镇江")["镇江"].stage == "ongoing"
    got = run("共建溧水―句容农业合作示范区", "溧水―句容农业合作示范区")["溧水―句容农业合作示范区"]
    assert (got.stage, got.actions) == ("planned", ("build", "cooperate"))


def test_two_verbs_for_one_object():
    got = run("主动融入宁杭生态经济带建设", "宁杭生态经济带")["宁杭生态经济带"]
    assert (got.actions, got.action_rule) == (("build", "connect"), "left and postposed verbs")
    got = run("加快推进长江沿岸造林绿化和森林资源质量提升", "长江")["长江"]
    assert (got.stage, got.actions) == ("ongoing", ("upgrade", "protect"))


def test_subject_and_object_of_one_verb():
    got = run("实现镇江主城直接对接南京主城", "镇江主城", "南京主城")
    assert got["镇江主城"].actions == got["南京主城"].actions == ("connect",)


def test_a_verb_stops_at_its_clause():
    got = run("全面对接南京,加快推进G312产业创新走廊建设", "南京", "G312产业创新走廊")
    assert got["南京"].actions == ("connect",)
    assert (got["G312产业创新走廊"].actions, got["G312产业创新走廊"].stage) == (("build",), "ongoing")


def test_a_topic_gets_what_its_clauses_say_and_a_definition_passes_nothing_on():
    text = ("东翼产业协同发展区,包括镇江新区、扬中、丹阳北部以及谏壁、京口经开区等区域,立足现有产业基础,"
            "突出先进制造业发展特色,推动产业统一规划、协同布局、联动发展,加快扩大规模、提高层次、优化结构。")
    got = run(text, "东翼产业协同发展区", "镇江新区", "京口经开区")
    assert (got["东翼产业协同发展区"].actions, got["东翼产业协同发展区"].action_rule) == (("upgrade", "cooperate"), "topic")
    assert (got["镇江新区"].actions, got["镇江新区"].action_rule) == ((), "definition")
    assert got["京口经开区"].actions == ()


def test_names_carry_no_action_and_no_verb_means_no_action():
    got = run("对镇江东站片区、宁镇合作示范区等进行战略规划", "镇江东站片区", "宁镇合作示范区")
    assert {i.actions for i in got.values()} == {()}
    got = run("全力支持茅山老区发展", "茅山老区")["茅山老区"]
    assert (got.actions, got.verb, got.verb_start, got.action_rule) == ((), "", None, "no governing verb")


def test_frames_and_strategy_names_are_not_objects():
    assert run("致力打造长江经济带重要节点城市", "长江经济带")["长江经济带"].action_rule == "frame"
    assert run("全面对接长三角一体化", "长三角")["长三角"].actions == ("connect",)
    got = run("“一带一路”建设、长江经济带发展、长三角一体化发展等重大战略机遇在镇江交汇叠加",
              "长江经济带", "长三角", "镇江")
    assert {i.actions for i in got.values()} == {()}


def test_an_axis_is_not_built_unless_its_own_modifier_says_so():
    got = run("以省道S122、规划建设的扬镇宁马城际为轴线", "省道S122", "扬镇宁马城际")
    assert (got["省道S122"].actions, got["省道S122"].action_rule) == ((), "axis")
    assert got["扬镇宁马城际"].actions == ("build",)


def test_apposition_and_conjunctions_extend_a_list():
    text = "通过G312、S240南延、镇丹二通道(宝平路)等与丹阳中心城区紧密相连"
    got = run(text, "G312", "S240南延", "镇丹二通道", "宝平路", "丹阳中心城区")
    assert {i.actions for i in got.values()} == {("connect",)}
    got = run("推动镇江高新区和丹徒经开区的联动发展", "镇江高新区", "丹徒经开区")
    assert {i.actions for i in got.values()} == {("cooperate",)}


def test_relocation_and_a_road_network_between_places():
    text = "加快推进沿长江干支流两侧1公里范围内(园区外)化工生产企业搬迁、关停、整改工作"
    got = run(text, "长江")["长江"]
    assert (got.stage, got.actions) == ("ongoing", ("relocate",))
    got = run("加强镇江新区、扬中、丹北之间的骨架路网建设", "镇江新区", "丹北")
    assert got["丹北"].actions == ("build", "connect")


def test_document_offsets_and_the_gold_list(plan, build_dir):
    # mentions.json qualifies paragraph ids with the document (jianyi:s3-i9); the plan's own are unqualified.
    mentions = [SimpleNamespace(**{**m, "paragraph": m["paragraph"].removeprefix(f"{m['doc']}:")})
                for m in json.loads((build_dir / "mentions.json").read_text(encoding="utf-8"))]
    intents = analyse(plan, mentions)
    assert len(intents) == len(mentions)
    for intent in intents:
        assert set(intent.actions) <= set(ACTIONS)
        if intent.verb_start is not None:
            assert plan.text[intent.verb_start:intent.verb_end] == intent.verb
    gold = load_intent_gold()
    assert len(gold) >= 120
    for g in gold:
        assert plan.text[g.start:g.start + len(g.surface)] == g.surface
    result = score_intents(gold, {m.start: (i.stage, i.actions) for m, i in zip(mentions, intents, strict=True)})
    assert result.stage_accuracy >= 0.95, result.errors
    assert result.micro.f1 >= 0.85, result.errors
