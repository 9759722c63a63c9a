"""Context decisions on normalised text: benign uses of claim characters, negation, word boundaries."""

from __future__ import annotations

import pytest

from models.context import (
    benign_reason,
    is_negated,
    is_question,
    named,
    question_at,
    question_clause,
    refuted_clause,
    registered_claim,
    sentence_reason,
)


def _reason(text: str, trigger: str, context: str) -> str | None:
    i = text.index(trigger)
    return benign_reason(text, i, i + len(trigger), context)


@pytest.mark.parametrize(
    "text",
    [
        "最近天气冷了",
        "最后三分钟",
        "最终解释权归商家",
        "最高可领两百元优惠券",
        "最低可打五折",
        "最多限购两件",
        "最快明天就到",
        "你最好现在就下单",
        "最好现在就下单",
        "大家最好先领券",
        "你最好试试这个颜色",
        "我最喜欢这个颜色",
        "这款最大的优点是轻",
        "最高可以叠加店铺券",
        "这台空调最大制冷功率是一千五",
        "这个电饭煲最大容量五升",
        "这是顶配，存储最大的那一款",
        "最显高的搭配是配一双小白鞋",
        "这个面包最好是当天吃完",
        "最好看的是哪一个色号？",
    ],
)
def test_superlative_benign(text: str) -> None:
    assert _reason(text, "最", "superlative") is not None


@pytest.mark.parametrize(
    "text", ["这是最好的面膜", "效果最好", "这款最好用", "这个最便宜", "这个颜色最显白", "最受欢迎的一款"]
)
def test_superlative_claim(text: str) -> None:
    assert _reason(text, "最", "superlative") is None


@pytest.mark.parametrize(
    "text", ["第一次来直播间", "第一步先洁面", "第一个链接", "第一时间发货", "第一季度", "第一名下单的送小样"]
)
def test_ordinal_benign(text: str) -> None:
    assert _reason(text, "第一", "ordinal") is not None


@pytest.mark.parametrize("text", ["销量第一", "全网第一的品牌", "我们是第一品牌", "行业排名第一名", "我们就是第一"])
def test_ordinal_claim(text: str) -> None:
    assert _reason(text, "第一", "ordinal") is None


@pytest.mark.parametrize("text", ["唯一的缺点就是贵", "唯一需要注意的是避光", "今天唯一一次机会"])
def test_unique_benign(text: str) -> None:
    assert _reason(text, "唯一", "unique") is not None


@pytest.mark.parametrize("text", ["全网唯一授权", "唯一指定的品牌", "我们是全网唯一"])
def test_unique_claim(text: str) -> None:
    assert _reason(text, "唯一", "unique") is None


def test_word_boundaries() -> None:
    assert _reason("面包过期了", "包过", "none") is not None
    assert _reason("报我们的班包过", "包过", "none") is None


@pytest.mark.parametrize(
    ("text", "trigger"),
    [("不是最便宜的", "最便宜"), ("本品不能代替药物", "代替药物"), ("理财有风险,不保本", "保本"), ("我们不承诺包过", "包过")],
)
def test_negated(text: str, trigger: str) -> None:
    assert is_negated(text, text.index(trigger))


@pytest.mark.parametrize(
    ("text", "trigger"),
    [("不得不说这是最好的", "最好"), ("这是最便宜的", "最便宜"), ("不是吗,这就是最好的", "最好")],
)
def test_not_negated(text: str, trigger: str) -> None:
    assert not is_negated(text, text.index(trigger))


def test_spec_superlative_with_market_scope_is_a_claim() -> None:
    assert _reason("全网最大容量的就是这款", "最", "superlative") is None


def test_enumeration_is_counting() -> None:
    assert _reason("第一，先关注；第二，再下单", "第一", "ordinal") == "enumeration"
    assert _reason("我们家销量第一，不接受反驳", "第一", "ordinal") is None


@pytest.mark.parametrize("text", ["有人问这个能不能祛痘", "弹幕在问是不是最低价", "问一下主播这个能治失眠吗"])
def test_read_out_chat_questions(text: str) -> None:
    assert question_clause(text, 0, len(text))


@pytest.mark.parametrize(
    "text",
    ["那些说喝茶能降血压的都别信", "谁跟你说保本保收益的都是骗人的", "不是说穿了就能瘦，它只是修身"],
)
def test_refuted_claims(text: str) -> None:
    cs, ce = 0, text.find("，") if "，" in text else len(text)
    assert refuted_clause(text, cs, ce)


def test_a_plain_claim_is_not_refuted() -> None:
    text = "这个茶说实话喝了就能降血压"
    assert not refuted_clause(text, 0, len(text))


def test_questions_are_not_assertions() -> None:
    q = "这是全网最低价吗?不是的"
    assert is_question(q, q.index("最低"), q.index("最低") + 2)
    a = "这是全网最低价,不信你比"
    assert not is_question(a, a.index("最低"), a.index("最低") + 2)


@pytest.mark.parametrize(
    "text",
    ["最划算的是买两盒装的", "这个粉底液最白的是零号", "冰箱最底层放蔬菜", "水温最高不要超过五十度", "挂耳咖啡泡三分钟最香",
     "最忙的那会儿后台三千单", "最开心的事就是看到返图", "这个锅最适合煎蛋"],
)
def test_more_benign_superlatives(text: str) -> None:
    assert _reason(text, "最", "superlative") is not None


@pytest.mark.parametrize("text", ["这款面霜最好用的", "我们家这款是全网最好的", "这是最适合中国宝宝体质的奶粉"])
def test_superlatives_that_stay_claims(text: str) -> None:
    assert _reason(text, "最", "superlative") is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("我们家这几款保温杯里，这款最轻", "own range"),
        ("最小的码是S，最大的到三XL", "range"),
        ("有人说这个蜂蜜能让人治好咽炎，没有的事", "refuted"),
    ],
)
def test_sentence_level_reasons(text: str, why: str) -> None:
    trigger = {"own range": "最轻", "range": "最大", "refuted": "治好"}[why]
    i = text.index(trigger)
    context = "superlative" if trigger.startswith("最") else "none"
    assert sentence_reason(text, i, i + len(trigger), context) == why


@pytest.mark.parametrize("text", ["所有平台都比过价了，我们家是最便宜的", "这是今年最低价，双十一都不会比这个便宜"])
def test_market_or_time_scoped_price_superlatives_are_not_own_range(text: str) -> None:
    i = text.index("最")
    assert sentence_reason(text, i, i + 3, "superlative") is None


def test_an_affirmed_question_is_a_claim_and_a_bare_shi_bu_shi_is_a_question() -> None:
    text = "这是不是全网最好的？当然是！"
    i = text.index("最")
    assert not is_question(text, i, i + 1)
    assert not is_negated(text, i)  # 是不是 asks; it does not deny
    assert is_question("这是不是全网最好的？", i, i + 1)
    # Speech-to-text drops the question mark: 是不是 still asks.
    bare = "有人说这个是不是销量第一的牌子，我们就是个小牌子"
    assert is_question(bare, bare.index("第一"), bare.index("第一") + 2)


@pytest.mark.parametrize(
    ("text", "trigger", "context", "why"),
    [
        ("这个书包最宽的地方三十公分", "最", "superlative", "specification"),
        ("今天最少也要卖到五千单", "最", "superlative", "quantity limit"),
    ],
)
def test_dimensions_and_limits(text: str, trigger: str, context: str, why: str) -> None:
    assert _reason(text, trigger, context) == why


def test_a_rank_inside_the_sellers_own_shop() -> None:
    own = "在我们店里这款卖得排第一"
    i = own.index("第一")
    assert sentence_reason(own, i, i + 2, "ordinal") == "own range"
    market = "我们家是淘宝女鞋销量第一"
    j = market.index("第一")
    assert sentence_reason(market, j, j + 2, "ordinal") is None  # a platform-wide ranking


def test_not_daring_to_promise_is_a_negation() -> None:
    text = "这个我不敢打包票"
    assert is_negated(text, text.index("打包票"))
    hedge = "真不敢相信效果这么好"
    assert not is_negated(hedge, hedge.index("效果"))


@pytest.mark.parametrize(
    ("text", "word", "registered"),
    [
        ("这款是特证的祛斑霜，国妆特字号能查到", "祛斑", True),
        ("蓝帽子产品，保健功能是辅助降血脂", "降血脂", True),
        ("这款不是特证，但是祛斑效果很好", "祛斑", False),  # the registration is denied
        ("这是蓝帽子产品，能降血脂", "降血脂", False),  # approved only as 辅助降血脂
        ("这个面霜祛斑效果很好", "祛斑", False),  # no registration cited
    ],
)
def test_registered_functions(text: str, word: str, registered: bool) -> None:
    i = text.index(word)
    assert registered_claim(text, i, i + len(word)) is registered


def test_a_question_answered_no_stays_a_question_and_yes_makes_it_a_claim() -> None:
    denied = "专家推荐的？没有，我们不搞这个"
    assert is_question(denied, 0, 2)
    affirmed = "这个能改运吗？能！"
    i = affirmed.index("改运")
    assert not is_question(affirmed, i, i + 2)
    assert is_question("这个能改运吗？不能", i, i + 2)


def test_mei_right_before_the_hit_negates() -> None:
    text = "这个手串没开过光"
    assert is_negated(text, text.index("开过光"))


def test_an_unpunctuated_read_out_question_ends_where_the_answer_starts() -> None:
    text = "有宝宝问这个音箱音质咋样我跟你说低音是全球第一的"
    assert not is_question(text, text.index("第一"), text.index("第一") + 2)
    asked = "有宝宝问这个音箱是不是全球第一的"
    assert is_question(asked, asked.index("第一"), asked.index("第一") + 2)


def test_a_claim_the_host_tells_you_not_to_listen_to() -> None:
    text = "别听人家说喝这个能治胃病，就是普通的茶"
    assert refuted_clause(text, 0, text.index("，"))


def test_a_not_a_is_a_question_not_a_negation() -> None:
    text = "你说这个面膜好不好用"
    assert not is_negated(text, text.index("好用"))
    assert is_question(text, text.index("好用"), text.index("好用") + 2)


@pytest.mark.parametrize(
    ("text", "word", "name"),
    [("这个香薰叫好运来", "好运", True), ("这款口红色号叫最爱", "最", True), ("这个香薰点上以后好运连连", "好运", False)],
)
def test_a_word_after_jiao_is_a_name(text: str, word: str, name: bool) -> None:
    assert named(text, text.index(word)) is name


@pytest.mark.parametrize(("text", "word"), [("转不转运我真不知道", "转运"), ("招没招财你自己看", "招财")])
def test_a_claim_word_asked_in_a_not_a_form_is_a_question(text: str, word: str) -> None:
    pos = text.index(word, 1)
    assert question_at(text, 0, len(text), pos)
    assert not question_at("戴上就" + word, 0, 5, 3)


@pytest.mark.parametrize(
    ("text", "why"),
    [("家里人多的最好多买两瓶", "had better"), ("最辣的那个慎拍", "picks a variant")],
)
def test_advice_and_variant_picks(text: str, why: str) -> None:
    assert _reason(text, "最", "superlative") == why


def test_a_question_read_out_after_the_claim_does_not_reach_back() -> None:
    text = "这个减肥茶一个月保证瘦十斤瘦不下来全额退款你还怕什么一号链接那个饭后喝一包有人问会不会拉肚子"
    assert not question_at(text, 0, len(text), text.index("保证"))
    assert question_at(text, 0, len(text), text.index("拉肚子"))


def test_a_long_run_on_chat_question_ends_before_the_host_answers() -> None:
    text = "有人问孕妇能不能用这个面霜纯天然无副作用的孕妇宝宝都能用"
    assert question_at(text, 0, len(text), text.index("孕妇"))
    assert not question_at(text, 0, len(text), text.index("无副作用"))


@pytest.mark.parametrize(
    ("text", "word", "asks"),
    [
        ("这个是全网最低价是不是", "最低价", False),  # a tag asks the room to agree: the clause asserts
        ("这个是全网最低价是不是啊家人们", "最低价", False),
        ("效果是第一的对不对", "第一", False),
        ("今年也一样跑不掉家长们你们还在等什么", "跑不掉", False),  # urging, not asking
        ("这个是不是全网最低价", "最低价", True),  # the A-not-A asks about the claim itself
        ("有人问这个是全网最低价是不是", "最低价", True),  # a viewer's question read out
        ("是不是", "是", True),  # a bare tag has nothing to assert
    ],
)
def test_a_tag_question_at_the_end_does_not_make_the_clause_a_question(text: str, word: str, asks: bool) -> None:
    i = text.index(word)
    assert question_at(text, 0, len(text), i) is asks


@pytest.mark.parametrize(
    ("text", "word", "asks"),
    [
        ("你上哪找比这还便宜的？", "便宜", False),  # asserts nothing is cheaper
        ("谁能比得过我们家？", "比得过", False),
        ("哪家能比我们效果好？", "效果", False),
        ("哪个颜色比这个浅？", "浅", True),  # a real comparison asked about
        ("这两款哪个比较好？", "好", True),
    ],
)
def test_a_rhetorical_comparison_asserts_its_answer(text: str, word: str, asks: bool) -> None:
    assert is_question(text, text.index(word), text.index(word) + len(word)) is asks


@pytest.mark.parametrize(
    ("text", "word", "taken_back"),
    [
        ("这个吹风机是市面上最快的 哦说错了 我收回", "最快", True),
        ("这对耳环戴上能旺桃花的 哈哈开玩笑的啊 别当真", "旺桃花", True),
        ("这个卫生巾是最安全的哎呀不对不能说最安全", "最安全", True),
        # a correction far from the hit, after a stretch of other talk, corrects something else
        ("这个吹风机是市面上最快的 风力三档 温度两档 颜色有白色和粉色 哦说错了是三个颜色", "最快", False),
        ("这个吹风机是市面上最快的", "最快", False),
        # at once, but what is restated is another detail: the claim stands
        ("这个吹风机是市面上最快的 不对不对 我说错了 是五升的不是六升的", "最快", False),
        ("这个吹风机是市面上最快的 不对不对 我说错了 是市面上比较快的", "最快", True),  # (no 最快 repeated, but
        ("这款面霜能修复屏障 我纠正一下 是辅助保湿 不是修复屏障", "修复屏障", True),  # restated: about the claim
    ],
)
def test_a_claim_taken_back_at_once_is_refuted(text: str, word: str, taken_back: bool) -> None:
    i = text.index(word)
    assert (sentence_reason(text, i, i + len(word), "none") == "refuted") is taken_back


@pytest.mark.parametrize(
    ("text", "own_range"),
    [
        ("我们家是做得最好的", False),  # the seller as the subject: compared with everyone else
        ("咱家就是最便宜的", False),
        ("在我们家最好卖的是这款", True),  # the seller as the place: its own range
        ("我们家这几款里这个最好", True),
    ],
)
def test_the_seller_as_subject_does_not_scope_a_superlative(text: str, own_range: bool) -> None:
    i = text.index("最")
    assert (sentence_reason(text, i, i + 2, "superlative") == "own range") is own_range


def test_asking_around_is_not_a_read_out_question() -> None:
    text = "问一圈回来你就知道我们是最强的"
    assert not is_question(text, text.index("最强"), text.index("最强") + 2)
