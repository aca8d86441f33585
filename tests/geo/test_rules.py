"""The geoparser's rules for texts beyond the plan: nested names, cross-boundary names,
context over the region prior, short forms, the national name base.

Expected places were decided by reading each sentence (which place does a reader mean?),
not taken from the parser's output.
"""
from __future__ import annotations

import pytest

from geo.document import parse_document


def parse(parser, text):
    result = parser.parse(parse_document(text))
    return ([(m.surface, m.place) for m in result.mentions],
            {u.surface: u.reason for u in result.unresolved}, result)


@pytest.mark.parametrize(
    "text, prefix, nested, parent",
    [
        ("规划中的扬中站选址。", "扬中", "扬中站", "admin-321182"),
        ("镇江数据湖产业园开园。", "镇江", "镇江数据湖产业园", "admin-321100"),
        ("句容市人民医院新院区投入使用。", "句容市", "句容市人民医院", "admin-321183"),
        ("镇江市第一人民医院新院区。", "镇江市", "镇江市第一人民医院", "admin-321100"),
        ("在南京南站换乘。", "南京", "南京南站", "landmark-nanjing-south-station"),
        ("在常州北站换乘。", "常州", "常州北站", "landmark-changzhou-north-station"),
        ("在泰州站换乘。", "泰州", "泰州站", "landmark-taizhou-station"),
        ("在无锡站换乘。", "无锡", "无锡站", "admin-320200"),
        ("泰州港的作业区。", "泰州", "泰州港", "admin-321200"),
        ("到上海虹桥站约一个半小时。", "上海", "上海虹桥站", "landmark-shanghai-hongqiao-station"),
        ("南京禄口国际机场航班增加。", "南京", "南京禄口国际机场", "landmark-nanjing-lukou-airport"),
        ("宝堰老街修旧如旧。", "宝堰", "宝堰老街", "landmark-baoyan-laojie"),
        ("梦溪园巷里的老宅修缮一新。", "梦溪园", "梦溪园巷", "landmark-mengxiyuan"),  # the lane, not the garden
        ("韦岗铁矿旧址改为公园。", "韦岗", "韦岗铁矿", "town-weigang"),
        ("转南京地铁2号线进城。", "南京", "南京地铁2号线", "admin-320100"),
        ("溧阳1号公路串起山村。", "溧阳", "溧阳1号公路", "admin-320481"),
        ("江都水利枢纽是南水北调东线的源头。", "江都", "江都水利枢纽", "admin-321012"),
        ("五峰山通道开通后，过江更快。", "五峰山", "五峰山通道", "landmark-wufengshan"),
        ("建设新坝智能制造产业园。", "新坝", "新坝智能制造产业园", "town-1789230"),  # 制造 is part of the name
        ("常州市第一人民医院扩建。", "常州市", "常州市第一人民医院", "admin-320400"),
        ("茅山新四军纪念馆接待游客。", "茅山", "茅山新四军纪念馆", "landmark-maoshan-n4a-museum"),  # known
        ("茅山道教博物馆接待游客。", "茅山", "茅山道教博物馆", "landmark-maoshan"),
        ("访仙桥边新开了茶社。", "访仙", "访仙桥", "town-1811527"),  # the bridge of 访仙镇
        ("南京大学的学生。", "南京", "南京大学", "admin-320100"),
    ],
)
def test_a_known_name_before_a_place_type_word_is_another_place(parser, gazetteer, text, prefix, nested, parent):
    found, _, result = parse(parser, text)
    assert all(surface != prefix for surface, _ in found), found  # never the prefix alone
    (mention,) = [m for m in result.mentions if m.surface == nested]
    entry = gazetteer.get(mention.place)
    if entry.id == parent:  # the whole name is known
        return
    # not known: a place of its own, located as the prefix's area (class D), never the prefix itself
    assert entry.name == nested and entry.anchor == parent and entry.parents == (parent,)
    assert entry.precision_class == "D" and entry.basis == "anchor-area"
    assert entry.geometry.covers(gazetteer.get(parent).geometry.representative_point())
    assert mention.reason.startswith("nested name")


def test_a_nested_place_is_made_again_from_its_id(gazetteer, parser):
    (mention,) = parser.parse(parse_document("在无锡站换乘。")).mentions
    fresh = type(gazetteer)(list(gazetteer.entries.values()), gazetteer.region)  # as a cached document meets it
    assert fresh.get(mention.place).name == "无锡站"
    assert "无锡站" not in fresh.by_surface  # never a name the parser matches afterwards


def test_a_name_after_a_line_is_reported_not_placed(parser):
    found, unresolved, _ = parse(parser, "荆岳长江大桥通车。")
    assert found == []  # neither 长江 nor a place along a whole river
    assert "长江" in unresolved["长江大桥"]


def test_names_inside_a_longer_name_are_parts_of_it(parser):
    found, _, _ = parse(parser, "泰州长江公路大桥北接泰州，扬中长江二桥连接西来桥。")
    assert ("泰州长江公路大桥", "bridge-taizhou") in found and ("扬中长江二桥", "bridge-yangzhong-2") in found
    assert "river-yangtze" not in [p for _, p in found]


@pytest.mark.parametrize(
    "text, name",
    [
        ("从扬州东站出站。南京南站到了。", "扬州东站"),      # a complete name: 出站 is running text
        ("沿G312串联镇江高新区、高资。", "G312"),           # a known name after the gap owns the type word
        ("高资街道依托高资港区发展。", "高资街道"),
    ],
)
def test_running_text_after_a_name_makes_no_nested_name(parser, text, name):
    _, unresolved, result = parse(parser, text)
    assert not any(u.surface.startswith(name) and u.reason.startswith("nested") for u in result.unresolved)
    assert not any(m.surface.startswith(name) and m.surface != name for m in result.mentions)


@pytest.mark.parametrize(
    "text, place",
    [
        ("融入扬子江城市群。", "region-yangtze-city-cluster"),
        ("对接南京都市圈。", "region-nanjing-metro"),
        ("面向上海经济圈。", "region-shanghai-economic"),
        ("推进宁镇扬一体化。", "region-ningzhenyang"),
        ("苏锡常地区经济发达。", "region-suxichang"),
    ],
)
def test_regions_resolve_as_wholes_not_their_first_city(parser, text, place):
    found, _, _ = parse(parser, text)
    assert [p for _, p in found] == [place]


def test_cross_boundary_names_are_not_their_zhenjiang_half(parser):
    found, _, _ = parse(parser, "共建仙林—宝华科学城和龙潭—下蜀滨江新城。")
    places = [p for _, p in found]
    assert "town-1548664" not in places and "town-1789793" not in places  # not 宝华镇, not 下蜀镇
    assert [s for s, _ in found] == ["仙林—宝华科学城", "龙潭—下蜀滨江新城"]


def test_context_over_prior_a_taizhou_park_is_not_zhenjiangs(parser):
    text = ("泰州市下辖海陵区、高港区、姜堰区。泰州的国家农业科技园区位于姜堰区和海陵区之间。"
            "泰兴市和靖江市也在推进农业现代化。")
    found, unresolved, _ = parse(parser, text)
    assert "zone-agri-sci-park" not in [p for _, p in found]
    assert unresolved["国家农业科技园区"].startswith("context over prior")


def test_context_counts_units_named_later_in_the_sentence(parser):
    # the park comes before the units that say whose it is
    text = ("泰州市下辖海陵区、高港区、姜堰区。国家农业科技园区位于姜堰区和海陵区之间。"
            "泰兴市和靖江市也在推进农业现代化。")
    _, unresolved, _ = parse(parser, text)
    assert unresolved["国家农业科技园区"].startswith("context over prior")


def test_a_town_only_the_region_has_is_the_regions_in_any_text(parser):
    # 天王镇 is 句容's; no town of 溧水 or 南京 has that name, however much the text is about them
    text = "南京市溧水区的白马镇、晶桥镇和洪蓝街道种草莓。溧水区的白马镇与天王镇的草莓竞争。"
    found, _, _ = parse(parser, text)
    assert ("天王镇", "town-1792863") in found


def test_a_text_naming_its_neighbours_once_each_is_still_about_the_region(parser):
    # a 句容 tourism text: its own hills and towns often, each neighbouring city once
    text = ("宝华山、茅山和赤山湖是句容的名片。茅山镇的民宿和宝华镇的古村都很热闹，白兔镇的草莓也有名。"
            "茅山地跨南京、常州和金坛区，大茅峰上的九霄万福宫是常州、金坛游客常去的地方。")
    found = dict(parse(parser, text)[0])
    assert found["九霄万福宫"] == "landmark-maoshan"


def test_the_same_park_in_a_zhenjiang_text_is_zhenjiangs(parser):
    found, _, _ = parse(parser, "句容市白兔镇一带，国家农业科技园区建设加快。")
    assert ("国家农业科技园区", "zone-agri-sci-park") in found


def test_xiangshan_street_is_the_geonames_town(parser, gazetteer):
    found, _, result = parse(parser, "京口区象山街道新建口袋公园。")
    (mention,) = [m for m in result.mentions if m.surface == "象山街道"]
    entry = gazetteer.get(mention.place)
    assert entry.source.startswith("GeoNames") and "象山镇" in entry.surfaces
    assert mention.reason.startswith("parent prefix")


def test_yanjiang_area_is_not_reported_as_jiang_area(parser):
    _, unresolved, _ = parse(parser, "结合沿江片区的环境整治，建设滨江步道。")
    assert "江片区" not in unresolved


def test_a_towns_pianqu_is_the_town(parser):
    found, _, _ = parse(parser, "高资片区与下蜀镇合作。")
    assert found[0] == ("高资片区", "town-1810282")


@pytest.mark.parametrize(
    "text, expected",
    [
        # towns and streets outside the region, once the text names the unit above them
        ("南京江宁区禄口街道、秣陵街道", {"江宁区": "admin-320115", "禄口街道": "town-1802036"}),
        # cities and counties across the country, from the national name base
        ("北京、山东、南通、淮安、江阴市、宜兴市", {"北京": "admin-110000", "山东": "admin-370000",
                                              "南通": "admin-320600", "淮安": "admin-320800",
                                              "江阴市": "admin-320281", "宜兴市": "admin-320282"}),
        ("无锡新吴区、常州武进区", {"新吴区": "admin-320214", "武进区": "admin-320412"}),
    ],
)
def test_national_name_base(parser, text, expected):
    found = dict(parse(parser, text)[0])
    for surface, place in expected.items():
        assert found.get(surface) == place, (surface, found)


def test_a_village_resolves_under_the_town_named_in_its_sentence(parser, gazetteer):
    # two villages are called 华山村 in 镇江 (姚桥镇 and 宝华镇); the sentence says which
    found = dict(parse(parser, "姚桥镇依托华山村的历史文化资源。")[0])
    village = gazetteer.get(found["华山村"])
    assert "姚桥镇" in [a.name for a in gazetteer.ancestors(village)]
    assert village.precision_class == "D"  # located as its town's area, not a made-up point


def test_outside_towns_never_eat_the_region(parser):
    found, _, _ = parse(parser, "建设平安镇江。")
    assert found == [("镇江", "admin-321100")]


@pytest.mark.parametrize(
    "text, surface, place",
    [
        ("镇江新区的官塘创新社区。新区还将完善配套。", "新区", "zone-zhenjiang-xinqu"),
        ("南京，古称金陵。金陵自古繁华。", "金陵", "admin-320100"),
        ("春秋时这里称朱方。", "朱方", "admin-321100"),
        ("南朝在京口设南徐州。", "南徐州", "admin-321100"),  # not today's 徐州
        ("茅山古称句曲山。", "句曲山", "landmark-maoshan"),
        ("宝华山原名花山。", "花山", "landmark-baohuashan"),  # after a verb of naming
    ],
)
def test_short_forms_resolve_by_their_rule(parser, text, surface, place):
    found, _, _ = parse(parser, text)
    assert (surface, place) in found


def test_short_forms_need_their_context(parser):
    found, unresolved, _ = parse(parser, "省级开发区、高新区提档升级，城市新区建设加快。")
    assert all(p != "zone-zhenjiang-xinqu" for _, p in found)  # no 新区 inside 高新区 or 城市新区
    _, unresolved, _ = parse(parser, "句曲风光秀丽。")
    assert unresolved["句曲"].startswith("ambiguous")


def test_a_mountain_is_not_the_town_named_after_it(parser):
    found, _, _ = parse(parser, "茅山是道教名山，山下的茅山镇种葡萄。")
    assert found == [("茅山", "landmark-maoshan"), ("茅山镇", "town-1548330")]


@pytest.mark.parametrize(
    "text, surface, place",
    [
        ("江宁区汤山以温泉闻名。", "汤山", "div-320115003"),   # its district in the same sentence
        ("在南京仙林上班。", "仙林", "div-320113007"),          # its city right before it
        ("栖霞区仙林街道聚集高校。很多人在仙林上班。", "仙林", "div-320113007"),  # named in full
    ],
)
def test_short_names_of_towns_outside_the_region(parser, text, surface, place):
    found, _, _ = parse(parser, text)
    assert (surface, place) in found


def test_short_names_need_a_unit_above_them(parser):
    found, _, _ = parse(parser, "南京市区往东南走。汤山温泉很有名。")
    # 南京市区, the city's urban area; no 东南街道 (苏州) and no 汤山 without 江宁
    assert [s for s, _ in found] == ["南京市区"]


def test_a_river_reaching_beyond_the_region_is_the_same_river_in_another_citys_text(parser):
    found, _, _ = parse(parser, "扬州市广陵区、邗江区和江都区都在长江北岸。")
    assert ("长江", "river-yangtze") in found


def test_an_old_name_needs_no_space_before_it(parser):
    found, _, _ = parse(parser, "南京古称金陵。")
    assert ("金陵", "admin-320100") in found


def test_a_common_word_does_not_hide_a_city(parser):
    found, _, _ = parse(parser, "铁路沿江南平原东西走向。")
    assert found == []  # 江南平原: not 南平 (福建)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("海陵区是泰州的老城区。", []),                         # the old town of 泰州, not 洛阳's 老城区
        ("打造江海门户。", []),                                 # 海门 inside a word
        ("洛阳老城区。", [("洛阳", "admin-410300"), ("老城区", "admin-410302")]),
        ("南通市海门区。", [("南通市", "admin-320600"), ("海门区", "admin-320614")]),
    ],
)
def test_county_names_that_are_ordinary_words(parser, text, expected):
    found, unresolved, _ = parse(parser, text)
    assert [f for f in found if f[0] in ("老城区", "海门", "海门区", "洛阳", "南通市")] == expected
    assert "老城区" not in unresolved and "海门" not in unresolved


@pytest.mark.parametrize(
    "text, names, parent",
    [
        # a road the gazetteer holds no row for: the text itself puts it in 丹阳市
        ("丹阳市齐梁路拓宽改造完工。", ["齐梁路"], "丹阳市"),
        # an enumeration after a town shares the town (names not in the NBS list of 新坝镇's villages)
        ("新坝镇立新巷、红星巷完成改造。", ["立新巷", "红星巷"], "新坝镇"),
        # "的" between them still says the road is the 街道's
        ("大港街道的通港路完成沥青罩面。", ["通港路"], "大港街道"),
        # wharves of 世业洲 at two of its hamlets: the wharf is the place, not the hamlet
        ("世业镇的永茂圩码头、东大坝码头每天有船进城。", ["永茂圩码头", "东大坝码头"], "世业镇"),
    ],
)
def test_a_name_right_after_a_unit_lies_in_it(parser, gazetteer, text, names, parent):
    found, _, result = parse(parser, text)
    children = [m for m in result.mentions if m.surface in names]
    assert [m.surface for m in children] == names
    for mention in children:
        entry = gazetteer.get(mention.place)
        assert entry.name == mention.surface and [gazetteer.get(p).name for p in entry.parents] == [parent]
        assert entry.anchor == entry.parents[0] and gazetteer.get(entry.anchor).in_region
        assert entry.precision_class == "D" and entry.basis == "anchor-area"
        assert mention.reason.startswith("named right after")


@pytest.mark.parametrize(
    "text, unit, not_a_place",
    [
        ("丹徒区美丽乡村建设提速。", "丹徒区", "美丽乡村"),  # a programme, not a village
        ("京口区老旧小区改造全面铺开。", "京口区", "老旧小区"),  # old estates in general
        ("扬中市示范社区创建。", "扬中市", "示范社区"),
        ("京口区的背街小巷焕然一新。", "京口区", "背街小巷"),  # back streets in general
        ("丹徒区的镇村公路提档升级。", "丹徒区", "镇村公路"),
        ("润州区城中村改造提速。", "润州区", "城中村"),  # villages inside the city, in general
        ("京口区的口袋公园多了起来。", "京口区", "口袋公园"),  # small parks in general
        ("丹徒区的湿地公园和生态河道。", "丹徒区", "湿地公园"),
        ("122省道丹阳段完成路面整治。", "122省道", "段完成路"),  # a section in a unit, then a verb
        ("推动与新北区孟河镇的公交线路对接。", "新北区", "公交线路"),
        ("丹阳市的步行街人气旺。", "丹阳市", "步行街"),
        ("镇江已对白莲巷等小区完成整治。", "镇江", "已对白莲巷"),  # running text between unit and name
    ],
)
def test_generic_phrases_after_a_unit_are_no_places(parser, text, unit, not_a_place):
    found, _, _ = parse(parser, text)
    assert [s for s, _ in found][:1] == [unit] and not_a_place not in [s for s, _ in found]


def test_a_unit_name_that_runs_on_is_not_cut_into_a_road(parser):
    # 正东路街道 is a 街道 of 京口区: never 正东路 read as a road after 京口区
    found, _, _ = parse(parser, "京口区正东路街道召开会议。")
    assert [s for s, _ in found] == ["京口区", "正东路街道"]


@pytest.mark.parametrize(
    "text, name, why",
    [
        # streets across China take the names of other cities: 南京路 says nothing of where it is
        ("漫步南京路步行街。", "南京路", "a road named after 南京市"),
        # a province is too large to place anything in: 山东大学 is not shown as all of 山东
        ("山东大学的校友。", "山东大学", "it lies in or near 山东省"),
    ],
)
def test_a_name_its_prefix_does_not_locate_is_reported(parser, text, name, why):
    found, unresolved, _ = parse(parser, text)
    assert found == []
    assert why in unresolved[name]


def test_a_town_short_name_that_names_a_feature_is_that_feature(parser, gazetteer):
    # 八卦洲 is the island in the Yangtze that 栖霞区's 八卦洲街道 is named after and covers
    found, _, _ = parse(parser, "南京市栖霞区的八卦洲种着芦蒿。")
    place = gazetteer.get(dict(found)["八卦洲"])
    assert place.name == "八卦洲" and place.precision_class == "D"
    assert [gazetteer.get(p).name for p in place.parents] == ["八卦洲街道"]


def test_a_town_listed_twice_by_geonames_is_its_official_unit(parser, gazetteer):
    # GeoNames has two 薛埠镇 points in 金坛区, kilometres apart; the NBS unit is one place
    found, _, _ = parse(parser, "金坛区的薛埠镇在茅山东侧。")
    place = gazetteer.get(dict(found)["薛埠镇"])
    assert place.note.startswith("NBS 320413109") and place.precision_class == "D"


def test_a_short_form_before_a_place_type_word_is_a_prefix(parser, gazetteer):
    # 新区 is 镇江新区 here (named in full), and 新区城市公园 a park in it, not the 新区 itself
    found, _, _ = parse(parser, "镇江新区的居民常去新区城市公园散步，也常通往新区的主干道。")
    park = gazetteer.get(dict(found)["新区城市公园"])
    assert park.parents == ("zone-zhenjiang-xinqu",) and park.precision_class == "D"
    assert [s for s, _ in found] == ["镇江新区", "新区城市公园", "新区"]  # 通往新区: 往 does not glue


def test_a_section_of_a_known_road_is_that_road(parser):
    # 解放南路 is the southern part of 解放路, the north–south trunk road of the old city
    found, _, result = parse(parser, "解放南路的公交站台完成改造。")
    assert found == [("解放南路", "road-jiefang")]
    assert "section of 解放路" in result.mentions[0].reason


def test_the_most_specific_unit_named_decides_even_after_the_name(parser, gazetteer):
    # 江苏 has several 大桥镇; the sentence goes on to name 江都区, and that one is meant
    found, _, _ = parse(parser, "大桥镇隶属于江苏扬州江都区，地处江都区南部。")
    place = gazetteer.get(dict(found)["大桥镇"])
    assert "admin-321012" in {a.id for a in gazetteer.ancestors(place)}


def test_a_town_resolved_earlier_is_context_for_the_villages_after_it(parser, gazetteer):
    # 扬中 and 句容's 茅山镇 both have a 永兴村; this text is about 茅山镇's villages
    text = "茅山镇前陵村以苗木闻名。前陵村与东霞村、永兴村相邻。"
    found, _, _ = parse(parser, text)
    village = gazetteer.get(dict(found)["永兴村"])
    assert "茅山镇" in {a.name for a in gazetteer.ancestors(village)}


def test_the_paragraph_says_which_village_before_the_text_does(parser, gazetteer):
    # 兴隆村 is a village of 世业镇 and of 姚桥镇; both towns are named in the text, but the paragraph
    # that names the village is about 世业镇 (named in the sentence before)
    text = "姚桥镇的华山村发展古村旅游。\n\n世业洲属丹徒区世业镇。今年岛上的兴隆村完成了江堤加固。"
    found, _, _ = parse(parser, text)
    village = gazetteer.get(dict(found)["兴隆村"])
    assert "世业镇" in {a.name for a in gazetteer.ancestors(village)}


def test_a_towns_short_name_once_the_text_names_it_in_full(parser, gazetteer):
    # 高桥 is how a local text goes on after naming 高桥镇; alone it is an everyday word (a high bridge)
    (town,) = [e for e in gazetteer.lookup("高桥镇") if e.in_region]
    found, _, _ = parse(parser, "高桥镇三面环江。大桥通车后，高桥往返南岸只要二十分钟。")
    assert found == [("高桥镇", town.id), ("高桥", town.id)]
    found, _, _ = parse(parser, "大桥通车后，高桥往返南岸只要二十分钟。")
    assert found == []
    found, _, _ = parse(parser, "高桥镇三面环江。镇上的高桥村是老村。")
    assert [s for s, _ in found] == ["高桥镇", "高桥村"] or [s for s, _ in found] == ["高桥镇"]  # never 高桥 alone


def test_a_zones_type_word_alone_is_the_zone_the_text_names(parser, gazetteer):
    # a 丹阳 review names its two zones in full, then goes on with 开发区 and 高新区 alone
    text = "丹阳经济开发区和丹阳高新区是工业主阵地。开发区新建了两所小学，高新区引进了新项目。"
    found = parse(parser, text)[0]
    assert found[2:] == [("开发区", "zone-danyang-jingkaiqu"), ("高新区", "zone-danyang-gaoxinqu")]
    # a text that names no zone in full means zones in general
    assert parse(parser, "推动开发区和高新区转型升级。")[0] == []
    # two zones the text writes as 开发区: zones in general, not one of them
    found = parse(parser, "丹阳开发区和句容经济开发区合作共建，开发区之间企业互访。")[0]
    assert [s for s, _ in found] == ["丹阳开发区", "句容经济开发区"]


def test_the_canal_alone_is_the_canal_the_text_names(parser):
    found = parse(parser, "京杭大运河穿城而过。沿运河向南，运河文化展览开幕，运河路上车多。")[0]
    assert found == [("京杭大运河", "river-grand-canal"), ("运河", "river-grand-canal"), ("运河路", "road-yunhe")]
    assert parse(parser, "沿运河向南走。")[0] == []  # no canal named in full: which one is not said


def test_a_towns_short_name_listed_after_a_town_of_its_county(parser, gazetteer):
    # 新桥 alone is an everyday word (a new bridge); listed after 后巷, both of 丹阳, it is the town
    (town,) = [e for e in gazetteer.lookup("新桥镇") if e.in_region]
    found = dict(parse(parser, "丹北镇依托埤城、后巷和新桥三个片区发展。")[0])
    assert found["新桥"] == town.id
    assert "新桥" not in dict(parse(parser, "河上建起了新桥。")[0])


def test_another_countys_road_of_the_same_name_is_its_own(parser, gazetteer):
    # 镇江's 中山路 runs through the city proper; a sentence about 丹阳's streets means 丹阳's 中山路
    found = dict(parse(parser, "云阳街道和曲阿街道的兰陵路、中山路完成改造。")[0])
    road = gazetteer.get(found["中山路"])
    assert road.name == "中山路" and road.parents == ("admin-321181",) and road.precision_class == "D"
    assert found["兰陵路"] == "road-lanling"  # 丹阳's own road, which the gazetteer holds
    assert dict(parse(parser, "京口区的中山路完成改造。")[0])["中山路"] == "road-zhongshan"


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("运河再向东南通往常州。", "南通"),  # south-east, leading to
        ("下蜀镇是丹徒沿江西部的门户。", "江西"),  # the western part along the river
        ("金山网讯 记者从金山网获悉。", "金山"),  # the city's news portal
    ],
)
def test_phrases_that_hide_a_name_are_no_places(parser, text, hidden):
    assert hidden not in [s for s, _ in parse(parser, text)[0]]


def test_a_village_word_that_runs_on_is_no_village(parser):
    # 沿江村 is a village of 李典镇; 沿江村庄 is "villages along the river"
    assert parse(parser, "沿江村庄完成环境整治。")[0] == []


def test_units_listed_before_the_last_share_its_unit_word(parser, gazetteer):
    # 常州's 红梅街道 and 荷花池街道, written as a list that leaves 街道 to the last item
    found, _, _ = parse(parser, "常州市的老城更新主要在红梅、荷花池、兰陵街道。")
    names = {s: gazetteer.get(p).name for s, p in found}
    assert names["红梅"] == "红梅街道" and names["荷花池"] == "荷花池街道" and names["兰陵街道"] == "兰陵街道"
    assert [s for s, _ in found] == ["常州市", "红梅", "荷花池", "兰陵街道"]  # in reading order


def test_a_far_citys_district_needs_its_full_name(parser):
    # 铜山 is a district of 徐州 (far from 镇江) by its full name only; in a 南京 text it is 江宁's 铜山
    found, _, _ = parse(parser, "禄口机场东大门至铜山集镇的道路完工。徐州市铜山区也在修路。")
    assert "铜山" not in [s for s, _ in found] and ("铜山区", "admin-320312") in found
    found, _, _ = parse(parser, "句容与江宁接壤。")  # a neighbouring city's district goes by its short name
    assert ("江宁", "admin-320115") in found


def test_a_countys_urban_area_is_the_county(parser):
    # no entry of its own: 句容城区 and 丹阳市区 are shown as the county they lie in, never cut to 句容
    found, _, _ = parse(parser, "从句容城区到丹阳市区要一个小时。")
    assert found == [("句容城区", "admin-321183"), ("丹阳市区", "admin-321181")]


def test_a_longer_group_of_city_initials_is_not_its_prefix(parser):
    found, unresolved, _ = parse(parser, "宁镇常三市协作。宁镇扬一体化。")
    assert [s for s, _ in found] == ["宁镇扬一体化"]  # never 宁镇 for 宁镇常
    assert "宁镇常" in unresolved


@pytest.mark.parametrize("name, inside", [("京津冀", "北京"), ("珠三角", "深圳"), ("华东", "福建")])
def test_regions_beyond_the_province_are_unions_of_their_units(parser, gazetteer, name, inside):
    found, _, _ = parse(parser, f"{name}的发展。")
    region = gazetteer.get(dict(found)[name])
    unit = gazetteer.resolve(inside)
    assert region.category == "region" and region.geometry.buffer(0.01).covers(unit.geometry.representative_point())


def test_places_made_from_names_have_a_category_the_exports_know(gazetteer):
    from geo.gazetteer.entry import CATEGORIES
    parent = gazetteer.get("admin-321181")
    for name in ("丹阳码头", "丹阳新村", "丹阳大桥", "丹阳路", "丹阳医院", "丹阳河", "丹阳产业园", "丹阳新城"):
        assert gazetteer.nested(parent, name).category in CATEGORIES, name
    assert gazetteer.nested(parent, "丹阳铁路").category == "rail"  # not a road for the 路 it ends in
    assert gazetteer.nested(parent, "丹阳村").category == "community"


def test_countries_are_found_by_their_chinese_names(parser, gazetteer):
    found, _, _ = parse(parser, "扬中与日本、德国的城市缔结友好关系。中国特色的发展道路。")
    places = dict(found)
    japan = gazetteer.get(places["日本"])
    assert japan.category == "region" and japan.precision_class == "D" and not japan.in_region
    assert 129 < japan.geometry.x < 146 and 30 < japan.geometry.y < 46  # within Japan's extent
    assert places["德国"] == "country-DEU" and "中国" not in places  # China itself is its units


def test_a_town_named_outside_the_region_names_its_county_for_short_names(parser, gazetteer):
    # 栖霞街道 is in 栖霞区, and so is 八卦洲街道: the island's name is read in the same sentence
    text = "南京市的乡村游很热闹。栖霞街道的红叶最好看，江中的八卦洲则以芦蒿出名。"
    found, _, _ = parse(parser, text)
    island = gazetteer.get(dict(found)["八卦洲"])
    assert [gazetteer.get(p).name for p in island.parents] == ["八卦洲街道"]
