"""End-to-end behaviour of models.detector.Detector."""

from __future__ import annotations

import threading

import pytest

from models.detector import Detector, Finding


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector.from_files()


@pytest.fixture
def fresh() -> Detector:
    return Detector.from_files()


def _cats(findings: list[Finding]) -> set[str]:
    return {f.category for f in findings}


@pytest.mark.parametrize(
    ("text", "category", "evidence"),
    [
        ("这是最*好的面膜", "absolute_terms", "最*好"),
        ("今天蕞低价，冲", "price_claim", "蕞低价"),
        ("zui好的洗发水", "absolute_terms", "zui好"),
        ("全網最低價，錯過再等一年", "price_claim", "全網最低價"),
        ("这款销量第1", "absolute_terms", "第1"),
        ("最最最好用的锅", "absolute_terms", "最最最好"),
        ("这个茶叶是国宴专用的", "state_endorsement", "国宴专用"),
        ("戴上能招财进宝", "superstition", "招财进宝"),
        ("报我们的班包过", "education_guarantee", "包过"),
        ("这个项目稳赚不赔", "investment_guarantee", "稳赚不赔"),
        ("这个面霜百分之百有效", "efficacy_guarantee", "百分之百有效"),
        ("这个牙膏是牙科医生推荐的", "medical_endorsement", "医生推荐"),
    ],
)
def test_flags_claims_and_evasions_with_exact_spans(det: Detector, text: str, category: str, evidence: str) -> None:
    fs = det.detect(text)
    hit = [f for f in fs if f.category == category]
    assert hit, fs
    f = hit[0]
    assert f.evidence == evidence == text[f.start : f.end]
    assert f.source == "rule" and f.score == 1.0 and f.basis.startswith(("广告法", "《"))


@pytest.mark.parametrize(
    "text",
    [
        "最近很多宝宝问这个",
        "第一次来直播间的宝宝点个关注",
        "你最好现在就下单，一会涨价",
        "最好现在就下单",
        "唯一的缺点就是有点贵",
        "这个冰箱是一级能效的",
        "这个手办是王者荣耀的正版授权",
        "最高可领两百元优惠券",
        "最低可打五折",
        "首先介绍一下，首单立减",
        "顶部有个按钮，住顶楼的也能用",
        "极品飞车同款车模",
        "面包过期了就别吃了",
        "这个不是最便宜的，但是用料足",
        "本品不能代替药物",
        "保健食品不是药物，不能代替药物治疗疾病",
        "原价一百九十九，今天直播间九十九",
        "这是全网最低价吗？不是的，但也很划算",
        "这个能治病吗？不能，它就是食品",
        "最开始我也不信",
        "最好的朋友送的",
    ],
)
def test_benign_speech(det: Detector, text: str) -> None:
    assert det.detect(text) == []


def test_classifier_finds_unlisted_efficacy_claims(det: Detector) -> None:
    # (吃了三天瘦十斤 itself is now a rule, eff.results_in_time: see test_weight_loss_in_time_is_a_rule.)
    for text in ["抹了两天，脸上的斑淡得几乎看不见了", "用完皮肤再也不长痘", "喝了一个月，血糖再也没高过"]:
        fs = det.detect(text)
        assert fs and all(f.source == "classifier" for f in fs), (text, fs)
        f = fs[0]
        assert f.rule == f"classifier:{f.category}" and 0.5 <= f.score <= 1.0
        assert f.evidence == text[f.start : f.end]


def test_spans_map_to_original_text_with_prefix_and_noise(det: Detector) -> None:
    text = "家人们👋，這個是ＺＵＩ 好的，销量弟１，全~网~最~低~价！"
    fs = det.detect(text)
    assert fs
    for f in fs:
        assert text[f.start : f.end] == f.evidence
        assert f.evidence.strip() == f.evidence
    assert {"absolute_terms", "price_claim"} <= _cats(fs)
    assert any(f.evidence == "全~网~最~低~价" for f in fs)


def test_scope_dependent_severity(det: Detector) -> None:
    text = "这款面膜能消炎祛痘"
    unknown = det.detect(text)
    food = det.detect(text, "食品")
    cosm = det.detect(text, "化妆品")
    drug = det.detect(text, "药品")
    assert unknown and unknown[0].severity == "medium"
    assert food[0].severity == "high" and cosm[0].severity == "high"
    assert drug == []  # disease treatment claims are for drugs to make (第十七条 exempts them)
    assert det.detect("这个益生菌是医生推荐的", "保健食品")[0].severity == "critical"
    assert det.detect("这个益生菌是医生推荐的", "保健品")[0].severity == "critical"  # alias


def test_a_disease_claim_for_health_food_cites_the_health_food_article(det: Detector) -> None:
    text = "这个胶囊能降血压，高血压的老人吃了就不用吃药"
    health = det.detect(text, "保健食品")
    food = det.detect(text, "食品")
    assert health and {f.category for f in health} == {"health_food_claim"}
    assert all("第十八条" in f.basis for f in health)
    assert "medical_claim" in {f.category for f in food}  # ordinary food: the general ban of 第十七条
    assert [f.rule for f in health] == [f.rule for f in food]  # same rules, reported under the specific article


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("这个价格我敢说是全年最低，双十一都没这么便宜", "price_claim"),
        ("你把全网翻个遍都找不到比这更便宜的价格", "price_claim"),
        ("这台吹风机是全网最快的", "absolute_terms"),
        ("这款面霜是刺激性最低的", "absolute_terms"),  # 最低 about irritation, no price talk
    ],
)
def test_an_absolute_term_about_the_price_is_a_price_claim(det: Detector, text: str, category: str) -> None:
    assert category in {f.category for f in det.detect(text)}


def test_runtime_upsert_then_remove(fresh: Detector) -> None:
    text = "这款面霜是宇宙无敌霸王级别的"
    assert not any(f.rule == "t.overlord" for f in fresh.detect(text))
    fresh.apply_update(
        "upsert",
        {"id": "t.overlord", "pattern": "霸王级", "category": "absolute_terms", "severity": "high",
         "basis": "广告法 第九条(三)"},
    )
    hit = [f for f in fresh.detect(text) if f.rule == "t.overlord"]
    assert hit and hit[0].evidence == "霸王级" and hit[0].severity == "high"
    fresh.apply_update("upsert", {"id": "t.overlord", "pattern": "霸王级", "category": "absolute_terms",
                                  "severity": "low", "basis": "广告法 第九条(三)"})
    assert [f.severity for f in fresh.detect(text) if f.rule == "t.overlord"] == ["low"]
    fresh.apply_update("remove", {"id": "t.overlord"})
    assert not any(f.rule == "t.overlord" for f in fresh.detect(text))


def test_remove_packaged_entry(fresh: Detector) -> None:
    assert [f.rule for f in fresh.detect("这个是国宴专用的")] == ["state.banquet"]
    fresh.apply_update("remove", {"id": "state.banquet"})
    # The co-occurrence entry (国宴 … 专用) still sees it; removing that too leaves no rule finding (the
    # classifier may still score the clause: 国宴 is a topic word).
    assert [f.rule for f in fresh.detect("这个是国宴专用的")] == ["state.organ_near"]
    fresh.apply_update("remove", {"id": "state.organ_near"})
    assert not [f for f in fresh.detect("这个是国宴专用的") if f.source == "rule"]


def test_invalid_update_leaves_lexicon_unchanged(fresh: Detector) -> None:
    n = len(fresh.lexicon.entries)
    with pytest.raises(ValueError, match="severity"):
        fresh.apply_update("upsert", {"id": "x", "pattern": "x", "category": "price_claim", "severity": "huge",
                                      "basis": "广告法 第九条(三)"})
    with pytest.raises(ValueError, match="op"):
        fresh.apply_update("replace", {"id": "x"})
    assert len(fresh.lexicon.entries) == n
    assert fresh.detect("全网最低价")


def test_concurrent_detect_sees_whole_snapshots(fresh: Detector) -> None:
    text = "霸王级的品质"
    entry = {"id": "t.c", "pattern": "霸王级", "category": "absolute_terms", "severity": "high",
             "basis": "广告法 第九条(三)"}
    seen: set[int] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                seen.add(len([f for f in fresh.detect(text) if f.rule == "t.c"]))
        except BaseException as e:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(20):
        fresh.apply_update("upsert", entry)
        fresh.apply_update("remove", {"id": "t.c"})
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert seen <= {0, 1}


def test_default_is_cached() -> None:
    assert Detector.default() is Detector.default()


def test_empty_and_plain_text(det: Detector) -> None:
    assert det.detect("") == []
    assert det.detect("hello world 123") == []


@pytest.mark.parametrize("text", ["吃了三天瘦十斤", "家人们这个减肥茶一周瘦八斤", "喝两个月长高了5厘米", "用七天白两个度"])
def test_weight_loss_in_time_is_a_rule(det: Detector, text: str) -> None:
    assert [f.rule for f in det.detect(text)] == ["eff.results_in_time"]


def test_a_neighbouring_chat_question_does_not_dilute_a_claim(det: Detector) -> None:
    text = "我看到好多宝宝在问，家人们这个面霜用完皮肤再也不长痘"
    found = det.detect(text)
    assert found and found[0].source == "classifier" and "再也不长痘" in found[0].evidence
    assert "在问" not in found[0].evidence


def test_a_hedged_sentence_is_not_scored_by_the_classifier(det: Detector) -> None:
    assert det.detect("这个理财产品一年能赚两成，稳稳的")  # the same figure, unhedged, is flagged
    hedged = "这个理财产品过去三年的年化收益大概在百分之三到四，过往业绩不代表未来"
    assert det.detect(hedged) == []


def test_a_denial_of_a_role_partner_read_as_a_question(det: Detector) -> None:
    assert det.detect("弹幕问是不是医生推荐的，不是，我们没找过医生") == []



def test_a_registered_function_read_out_with_its_registration(det: Detector) -> None:
    assert det.detect("这款是特证的祛斑霜，国妆特字号能查到", "化妆品") == []
    assert det.detect("这是蓝帽子产品，保健功能是增强免疫力，批文在背面", "保健食品") == []
    assert [f.rule for f in det.detect("这款不是特证，但是祛斑效果很好", "化妆品")] == ["med.disease"]


class _FixedScore:
    """A classifier that gives every window the same P(claim): isolates the detector's gating."""

    threshold = 0.7
    topic_threshold = 0.8

    def __init__(self, p: float, strong: tuple[str, ...] = (), cat: str = "education_guarantee") -> None:
        self.p = p
        self.strong = strong
        self.cat = cat

    def set_cache_size(self, size: int) -> None:
        pass

    def strong_ngrams(self) -> tuple[str, ...]:
        return self.strong

    def p_claim(self, window: str) -> float:
        return self.p

    def reaching(self, window: str, threshold: float) -> float | None:
        return self.p if self.p >= threshold else None

    def category(self, window: str) -> str:
        return self.cat


@pytest.mark.parametrize(
    ("p", "text", "flagged"),
    [
        (0.75, "跟我们学两个月，考研稳稳的", False),  # topic word only: 0.75 is below the topic threshold
        (0.85, "跟我们学两个月，考研稳稳的", True),
        (0.75, "跟我们学两个月，保证你满意", True),  # a cue word: the model threshold applies
        (0.75, "考研的同学我保证你满意", True),  # both in one clause: the cue decides
        (0.65, "考研的同学我保证你满意", False),
        (0.95, "今天天气不错，大家早点睡", False),  # neither: never scored
    ],
)
def test_topic_words_are_scored_at_the_stricter_threshold(p: float, text: str, flagged: bool) -> None:
    from models.lexicon import Lexicon

    det = Detector(Lexicon([], cues=["保证"], topics=["考研"]), _FixedScore(p))  # type: ignore[arg-type]
    found = det.detect(text)
    assert bool(found) is flagged, found
    assert all(f.source == "classifier" for f in found)


@pytest.mark.parametrize(
    ("text", "category"),
    [("部队首长家里喝的都是这款茶", "state_endorsement"), ("在家里摆个貔貅，这一年进账就没断过", "superstition")],
)
def test_claims_without_cue_words_are_caught_through_their_topic(det: Detector, text: str, category: str) -> None:
    assert [f.category for f in det.detect(text) if f.source == "classifier"] == [category]


@pytest.mark.parametrize(
    "text", ["考研报名时间是十月份，大家别错过", "我爸以前在部队当过兵，所以特别喜欢这种水壶", "貔貅造型的吊坠，纯银的，就是个造型"]
)
def test_benign_mentions_of_a_topic_stay_clean(det: Detector, text: str) -> None:
    assert not det.detect(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("这款精华你找不出第二瓶比它更好吸收的", "abs.none_better"),
        ("去污能力碾压同类产品", "abs.top_grade"),
        ("这个驾考题库刷完一次就过", "edu.first_try"),
        ("没进面的学费退一半", "edu.fail_refund"),
        ("涂一个月斑没淡你拿着空瓶来找我", "eff.fail_refund"),
        ("这个包票我敢打，晒一天都不会黑", "eff.forever"),
        ("我爸吃了半年，降糖药都停了", "med.stop_drug"),
        ("它不是药，但比药还管用", "med.beats_drug"),
        ("金条以后拿去回收，价格只会比你买的时候高", "inv.only_rises"),
        ("门口摆一盆发财树，生意流水翻了一番", "sup.object_near"),
    ],
)
def test_claims_in_guarantee_and_comparison_wording(det: Detector, text: str, rule: str) -> None:
    assert rule in [f.rule for f in det.detect(text, "保健食品")]


@pytest.mark.parametrize(
    "text",
    [
        "分期没手续费超过三期就有利息",  # 超过 + a count is a threshold, not a comparison
        "降压药停了可不行，听医生的",
        "这个高压锅从三百九降到一百九了",  # a price, not a blood pressure
        "别家都没有这个颜色",
        "医生说药不能停",
        "找不到链接的宝宝看左下角",
        "没收到货的来找我",
        "发财树好养活，放客厅好看",
        "辟邪那是老人说的，我可不保证",
        "那个说报了课一定能考上的是假冒账号，我们从来没这么说过",
        "痘痘严重的先去医院，别指望面膜治痘",
    ],
)
def test_limits_warnings_and_rejected_claims_stay_clean(det: Detector, text: str) -> None:
    assert not det.detect(text, "保健食品"), det.detect(text, "保健食品")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("今天这个就是底价了谁都低不过我", "price.nowhere_else"),
        ("错过了这辈子都没有这个价了", "price.nowhere_else"),
        ("别家都没有这个价", "price.nowhere_else"),
        ("明年没这价了", "price.nowhere_else"),
        ("什么大米都比不上它", "abs.none_better"),
        ("它就是茶中之王", "abs.top_grade"),
        ("边防战士穿的就是我们家的", "state.organ_near"),
        ("吃了三个月那个肿瘤就不长了", "med.symptom_gone"),
        ("孩子每天戴二十分钟度数往回降", "med.symptom_gone"),
        ("我婆婆喝了两个月，血压从一百五降到一百二", "med.symptom_gone"),  # a reading before and after
        ("晚上点一根保一家平安", "sup.evil"),
        ("有三个颜色，这个颜色是全网最火的", "abs.zui_generic"),  # options named, but compared with the market
        ("这款童书是全国卖得第一的", "abs.first"),
        ("晚上睡前用最好的面霜就是它", "abs.zui_best"),
        ("三档风速，长头发三分钟就能吹干，这是目前地球上最快的吹风机", "abs.zui_generic"),
    ],
)
def test_claims_as_hosts_phrase_them(det: Detector, text: str, rule: str) -> None:
    assert rule in [f.rule for f in det.detect(text, "保健食品")]


@pytest.mark.parametrize(
    "text",
    [
        "这个推车唯一麻烦一点的就是折叠要两只手",
        "风扇一共三档第一档很小声",
        "按摩仪有三档，第一档最轻柔",  # the product's own settings compared
        "这套绘本睡前读最合适",  # when to use it
        "配料表大家自己看，排第一位的是生牛乳",  # the label lists by content
        "一共三个尺寸，最小的放袜子刚好",
        "在吃别的药最好问一下你的医生",
        "有人让我说这是最好用的粉底液我不说啊每个人肤质不一样",
    ],
)
def test_drawbacks_settings_advice_and_refusals_stay_clean(det: Detector, text: str) -> None:
    assert not det.detect(text), det.detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "钙片不能治骨质疏松，骨质疏松要去医院骨科规范治疗",  # treatment referred to a doctor
        "艾灸盒就是暖和，要说治病那真不行",
        "全网最低这几个字我不会说的",
        "水晶洞我不推荐买来招财",
        "戴着好看，辟邪这种说法没有依据",
        "用完一瓶大概能有感受，但我没法跟你打包票",
        "往年有学员考了三次才过，也有一次就过的",
    ],
)
def test_referrals_refusals_and_reports_are_not_claims(det: Detector, text: str) -> None:
    assert not [f for f in det.detect(text, "教育") if f.source == "rule"]


def test_a_first_try_pass_promised(det: Detector) -> None:
    assert [f.rule for f in det.detect("跟着我们学，科目一一次就过", "教育")] == ["edu.first_try"]


def test_nobody_sells_lower_but_a_limit_is_no_claim(det: Detector) -> None:
    assert [f.rule for f in det.detect("品牌方给的底价，全国没有任何渠道比这个低")] == ["price.none_lower"]
    assert not det.detect("我们没法比这个再便宜了")


@pytest.mark.parametrize(
    "text",
    ["我不敢打包票，谁跟你打包票你就要多个心眼", "有弹幕说戴这个能保平安，我得说一句，这就是个银饰"],
)
def test_a_reported_claim_the_host_dismisses(det: Detector, text: str) -> None:
    assert not det.detect(text), det.detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "这个酸奶最好冷藏，常温别放太久",
        "宝宝最好满六个月再加辅食",
        "小个子的姐妹最好选S码",
        "面包最好三天内吃完",
        "弹幕说主播最美，谢谢宝宝",
        "宝宝第一双学步鞋要选软底的",
        "我们不搞什么全网最低那一套",
        "唯一的赠品就是这个小勺子",
        "口罩最外层是防水层",
        "有个姐妹说这是她用过最好的面膜，我可不敢这么说",
    ],
)
def test_benign_superlatives_and_ordinals_of_s(det: Detector, text: str) -> None:
    assert not det.detect(text), det.detect(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("我们家这个奶粉国产里销量第一", "absolute_terms"),  # 国产 is a market, not the seller's own range
        ("这个保健品是醉有效的", "absolute_terms"),
        ("史 上 最 便 宜 的 一 次", "price_claim"),
        ("别的直播间都比我贵一半", "price_claim"),
        ("这个血压计医院卖八百多我们直播间只要八十九", "price_claim"),
    ],
)
def test_market_rankings_homophones_and_prices_of_s(det: Detector, text: str, category: str) -> None:
    assert category in {f.category for f in det.detect(text)}


@pytest.mark.parametrize(
    "text",
    [
        "香薰蜡烛点着味道好闻，至于什么净化磁场，那都是营销话术",  # the near partner is dismissed
        "什么第一品牌 销量冠军 我们不吹这个",
        "五帝钱挂件是仿古铜钱，别信什么挂上就挡煞",
        "之前有个主播说他的保健品能代替降压药，那是要出人命的",
        "老人说桃木辟邪那是老说法，我们就当它是把好梳子卖",
        "平安扣是一种玉的款式，寓意平平安安",
        "吃降脂药的朋友别停药，它不能代替药物",
        "这只基金近一年涨了百分之十几但近三年是亏的",
        "褪黑素这个保健食品批准功能是改善睡眠，孕妇不适宜",
    ],
)
def test_dismissed_symbolic_and_disclosed_statements_of_t(det: Detector, text: str) -> None:
    assert not [f for f in det.detect(text, "保健食品") if f.source == "rule"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("螨虫一个不留，100%除螨", "eff.percent_result"),  # % next to a character stays part of its number
        ("0风险高回报，存进去坐等收益", "inv.zero_risk"),
        ("只供jun队的压缩饼干", "state.organ_near"),
        ("稳钻不亏，跟着老师买就行", "inv.return"),
        ("鱼油软胶囊能溶解血栓", "med.disease"),
    ],
)
def test_evasions_of_w(det: Detector, text: str, rule: str) -> None:
    assert rule in [f.rule for f in det.detect(text, "保健食品")]


def test_numbered_variants_are_not_a_ranking(det: Detector) -> None:
    assert not det.detect("这款蓝牙耳机no.1是白色，no.2是黑色")
    assert [f.rule for f in det.detect("这款耳机销量no.1")] == ["abs.first"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("这降噪同价位谁打得过它", "abs.none_better"),
        ("市面上没有哪个牌子的保温效果能跟它比", "abs.none_better"),
        ("我们家牛肉干销量常年霸榜", "abs.top_grade"),
        ("除螨仪吸一遍，床上的螨虫全部清零", "eff.total_removal"),
        ("三天甲醛检测不合格我赔你一台检测仪", "eff.fail_refund"),
        ("放进去一万块一年后变成一万一千二，一分都不差", "inv.no_loss"),
        ("今天这个价格比成本还低", "price.below_cost"),
        ("今天的到手价比哪个平台都低", "price.none_lower"),
        ("往后一年都不会再有这个价", "price.nowhere_else"),
        ("孩子发烧了冲两包蛋白粉，第二天烧就退了", "med.symptom_gone"),
        ("护眼台灯用了半年，近视从三百度降到一百五十度", "med.symptom_gone"),
        ("黑曜石戴上能把霉运吸走", "sup.evil"),
        ("央视新闻专门来我们工厂拍过", "state.organ_near"),
    ],
)
def test_paraphrased_claims_of_v(det: Detector, text: str, rule: str) -> None:
    assert rule in [f.rule for f in det.detect(text, "保健食品")]


@pytest.mark.parametrize(
    "text",
    [
        "正在治疗中的病人请遵医嘱，别自己停药",
        "考研的课我们不签那种不过退费的协议",
        "美白精华用了两瓶，肤色均匀了一点点，但没有那种一下白一个度的夸张效果",
    ],
)
def test_states_refusals_and_denied_kinds_of_v(det: Detector, text: str) -> None:
    assert not det.detect(text, "保健食品"), det.detect(text, "保健食品")


def test_bie_urging_the_viewer_does_not_negate(det: Detector) -> None:
    assert [f.rule for f in det.detect("别犹豫全网最低价")] == ["price.lowest"]
    assert not det.detect("吃降压药的别停药")


@pytest.mark.parametrize(
    "text", ["红包封面印的招财进宝，过年发红包用", "风水的书有一本，讲古代建筑文化的，不教你怎么改运"]
)
def test_printed_designs_and_refused_teachings_of_x(det: Detector, text: str) -> None:
    assert not [f for f in det.detect(text) if f.source == "rule"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [("今天这个价比出厂价还低", "price.below_cost"), ("葡萄籽吃了比去医院看效果好多了", "med.beats_drug")],
)
def test_cost_and_hospital_comparisons_of_x(det: Detector, text: str, rule: str) -> None:
    assert rule in [f.rule for f in det.detect(text, "保健食品")]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("能找到比我这便宜一分钱的，我直接给你免单", "price.match_guarantee"),
        ("这只股票下周必*涨，亏了全赔", "inv.return"),
        ("三个月去医院一查，指标都正常了", "med.symptom_gone"),
        ("血糖高的喝上一阵子，那个针就不用扎了", "med.no_medicine"),
        ("吃上一周，药可以扔一边了", "med.stop_drug"),
        ("没有哪个牌子打得过它", "abs.none_better"),
        ("这个产品是guo家背书的", "state.banquet"),
    ],
)
def test_claims_of_y(det: Detector, text: str, rule: str) -> None:
    assert rule in [f.rule for f in det.detect(text, "保健食品")]


@pytest.mark.parametrize(
    "text",
    [
        "有家人说这个烤箱是第一，哪个第一啊我可没说",
        "有人說戴玉能養人治病，這個沒有科學依據",
        "网上有人传吃黑木耳能降血压，别信那些",
        "银行理财现在不再承诺保本，看风险等级",
        "评论区说别家的课保证提三十分，那种说法谁保证了谁就是违规",
    ],
)
def test_reports_the_host_rejects_in_y(det: Detector, text: str) -> None:
    assert not [f for f in det.detect(text) if f.source == "rule"], det.detect(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("你上哪找比这还便宜的？", "price.none_cheaper"),
        ("哪家能比我们效果好？", "abs.none_better_asked"),
        ("这个价格你去哪都买不到", "price.nowhere_else"),
        ("这个是全网最低价是不是", "price.lowest"),
    ],
)
def test_questions_that_assert_are_claims(det: Detector, text: str, rule: str) -> None:
    assert rule in {f.rule for f in det.detect(text)}


@pytest.mark.parametrize("text", ["有人问这个是全网最低价是不是", "哪个颜色比这个浅？", "这个颜色去哪都买不到吗"])
def test_real_questions_stay_questions(det: Detector, text: str) -> None:
    assert det.detect(text) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("有人问这个课能不能保证过我跟你说能报了我们这个班一次过", "edu.first_try"),  # 能不能保证 asks
        ("有人问有没有风险我跟你说没有风险，本金一分不少到期连本带利都给你", "inv.no_loss"),  # 有没有风险 asks
    ],
)
def test_a_hedge_word_inside_a_question_or_a_denial_hedges_nothing(det: Detector, text: str, rule: str) -> None:
    assert rule in {f.rule for f in det.detect(text)}


def test_a_real_hedge_still_hedges(det: Detector) -> None:
    assert det.detect("投资有风险，本金一分不少我不敢保证") == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("这个法考课程主讲老师以前在命题组待过", "edu.exam_setter"),
        ("去年的省状元都是在我们这上的网课", "edu.top_scorer"),
        ("腰疼了十年贴了三贴就好了，医院都治不好的", "med.beats_drug"),
        ("这套家具的做工独此一家", "abs.top_grade"),
    ],
)
def test_exam_setters_top_scorers_and_beating_hospitals(det: Detector, text: str, rule: str) -> None:
    assert rule in {f.rule for f in det.detect(text)}


@pytest.mark.parametrize("text", ["我们带大家分析命题人的出题思路", "状元饼是我们这里的特产", "这个病医院治得好，别耽误"])
def test_their_benign_neighbours(det: Detector, text: str) -> None:
    assert det.detect(text) == []



@pytest.mark.parametrize(
    ("entry", "text", "p", "flagged"),
    [
        # 包过 inside 面包过期 is turned down as a rule; its clause is still scored, at the topic threshold
        ({"id": "t.pass", "pattern": "包过", "category": "education_guarantee", "context": "word"}, "面包过期了", 0.85, True),
        ({"id": "t.pass", "pattern": "包过", "category": "education_guarantee", "context": "word"}, "面包过期了", 0.75, False),
        # a wording-defined category stays with its rule
        ({"id": "t.first", "pattern": "第一", "category": "absolute_terms", "context": "ordinal"}, "第一次来直播间", 0.95, False),
        # a regex anchor names nothing by itself
        ({"id": "t.rx", "pattern": "减", "regex": "减[0-9]+斤", "category": "efficacy_guarantee"}, "今天减价了", 0.95, False),
    ],
)
def test_a_turned_down_rule_hit_lets_the_classifier_judge_its_clause(
    entry: dict, text: str, p: float, flagged: bool
) -> None:
    from models.lexicon import Lexicon, validate_entry

    entry = {"severity": "high", "basis": "广告法 第二十四条(一)", **entry}
    det = Detector(Lexicon([validate_entry(entry)]), _FixedScore(p))  # type: ignore[arg-type]
    found = det.detect(text)
    assert bool(found) is flagged, found
    assert all(f.source == "classifier" for f in found)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("去年报我们班的一个都没落下全考过了，今年你报也一样", "edu.all_passed"),
        ("科目一速成课听完明天去考九十五分往上跑不掉", "edu.admission_sure"),
        ("这个价你放眼整个市场 没有任何一家能做到", "price.none_matches"),
        ("你们去问问，哪个品牌的吸尘器能比我们吸力更猛？没有！", "abs.none_better_asked"),  # the host's own answer
        ("这条手链的做工史无前例老师傅都说从来没见过这么细的", "abs.top_grade"),  # 这么 ends no question
        ("医院的护士长都在我直播间买这个消毒湿巾", "mend.role_near"),
    ],
)
def test_past_results_sure_scores_unmatched_prices(det: Detector, text: str, rule: str) -> None:
    assert rule in {f.rule for f in det.detect(text)}


@pytest.mark.parametrize(
    "text",
    [
        "家里三个孩子全考上了，我这个当妈的高兴",  # no course or book sold on it
        "快递明天肯定到，跑不掉的",
        "这个价格的东西，很多家都能做到",
        "医生推荐的？没有，我们不搞这个",  # a real question, answered no
        "你见过这么细的做工吗",
    ],
)
def test_their_benign_neighbours_stay_quiet(det: Detector, text: str) -> None:
    assert det.detect(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "祛斑这个事说实话护肤品只能帮你淡一点，晒斑想去掉还是得上医美",  # the claim word as the topic
        "有人问褪黑素能不能把失眠治好 我不敢这么说 它是改善睡眠的保健食品",  # the registered function, as one
        "有人刷屏说这个牌子上过央视 那是以前投过广告 跟产品好不好没关系",  # reported, then dismissed
        "今天这场直播里最便宜的就是三号链接",  # the cheapest item of this stream's own links
        "公考课今年没考上的明年可以免费再听一遍网课，但不退学费",  # 考 inside 公考课 is no exam partner
    ],
)
def test_topics_registrations_dismissals_and_own_links(det: Detector, text: str) -> None:
    assert det.detect(text) == []


def test_a_disease_claim_is_no_topic(det: Detector) -> None:
    assert {f.rule for f in det.detect("这个面霜能祛斑，这个事我跟你保证")}  # 祛斑 claimed, then promised


@pytest.mark.parametrize(
    ("p", "text", "flagged"),
    [
        (0.95, "半月板伤了的戴两个月自己就长好了", True),  # a strong n-gram, no cue or topic: scored whole
        (0.85, "半月板伤了的戴两个月自己就长好了", False),  # below WHOLE_THRESHOLD
        (0.99, "今天天气不错，大家早点睡觉吧", False),  # no strong n-gram: never scored
        (0.99, "半月板伤了戴两个月能长好了吗？", False),  # the segment asks
        (0.99, "戴两个月就长好了", False),  # shorter than WHOLE_MIN: too little to judge
        (0.99, "戴两个月就长好了，不过效果因人而异", False),  # hedged
    ],
)
def test_a_segment_without_cue_words_is_scored_whole(p: float, text: str, flagged: bool) -> None:
    from models.detector import WHOLE_MIN
    from models.lexicon import Lexicon

    det = Detector(Lexicon([]), _FixedScore(p, strong=("长好了",)))  # type: ignore[arg-type]
    found = det.detect(text)
    assert bool(found) is flagged, found
    if flagged:
        assert [(f.source, f.start, f.end) for f in found] == [("classifier", 0, len(text))]
    assert len("戴两个月就长好了") < WHOLE_MIN <= len("半月板伤了的戴两个月自己就长好了")


def test_the_strong_ngrams_are_the_most_claim_weighted(det: Detector) -> None:
    clf = det._classifier
    assert clf is not None
    strong = clf.strong_ngrams(50)
    weight = dict(zip(sorted(clf.vocab, key=clf.vocab.__getitem__), clf._w_idf, strict=True))
    assert len(strong) == 50 and min(weight[t] for t in strong) >= max(
        w for t, w in weight.items() if t not in strong
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("这个扫地机器人，别的品牌跟它比那都是小学生", True),
        ("这个防晒的防晒力，谁都打不过", True),
        ("没有哪一台的风力能赢过我们这台", True),
        ("我打不过他，他太厉害了", False),  # no rival named: the speaker himself
        ("这个手工活一般人学不来", False),
    ],
)
def test_nobody_can_match_it(det: Detector, text: str, flagged: bool) -> None:
    assert ("abs.none_better" in [f.rule for f in det.detect(text)]) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("这个价只有我们有，别家都拿不到", True),  # the window talks price
        ("你去哪买都没我们这么便宜", True),
        ("这个颜色只有我们有，别家都拿不到", False),  # a price_claim guess without price talk is dropped
    ],
)
def test_a_price_claim_from_the_classifier_needs_price_talk(text: str, flagged: bool) -> None:
    from models.lexicon import Lexicon

    det = Detector(Lexicon([], cues=["只有我们", "哪买"]), _FixedScore(0.9, cat="price_claim"))  # type: ignore[arg-type]
    assert bool(det.detect(text)) is flagged


def test_an_absolute_claim_in_paraphrase_is_reported_by_the_classifier() -> None:
    from models.lexicon import Lexicon

    det = Detector(Lexicon([], cues=["别家"]), _FixedScore(0.9, cat="absolute_terms"))  # type: ignore[arg-type]
    assert [f.category for f in det.detect("别家粉饼给它提鞋都不配")] == ["absolute_terms"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("这个吊坠最大的一颗是八毫米，小的六毫米", False),  # the largest piece of the lot, measured
        ("这个香菇最大的有巴掌那么大，小的也有", False),
        ("这是全网最大的有机农场", True),
        ("全网最大的一家店就是我们", True),
    ],
)
def test_the_largest_piece_of_a_lot(det: Detector, text: str, flagged: bool) -> None:
    assert bool(det.detect(text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("唯一一点不方便的是这个需要插电", False), ("唯一一个缺点就是重", False), ("我们是唯一一个拿到授权的", True)],
)
def test_a_counted_drawback_is_description(det: Detector, text: str, flagged: bool) -> None:
    assert bool(det.detect(text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("说到最便宜，这款真不是最便宜的，但是料子好", False),  # the clause only names the subject
        ("说到最便宜的，就是我们家", True),  # ... and the next clause answers it
        ("做生意的第一原则是诚信，假一赔十", False),  # a priority, not a rank
        ("这块表我不吹啥顶级，就是入门款", False),
        ("买基金去银行问，别在直播间听人说什么稳赚", False),
        ("新来的先别走听我说，这个基金稳赚不赔", True),  # 听我说: the host's own call
        ("有人说这个枕头能治颈椎病，那是夸张了", False),
        ("说戴貔貅能招财的都是瞎编的，图个好看", False),
    ],
)
def test_topics_priorities_and_dismissals(det: Detector, text: str, flagged: bool) -> None:
    assert bool(det.detect(text)) is flagged, det.detect(text)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("有人问这个银条会不会亏，会，银价跌了就会亏", False),  # 会 affirms 会亏: the claim 不会亏 is denied
        ("这个理财有没有风险？有，所以别全投", False),
        ("这个银条不会亏，放心买", True),
    ],
)
def test_a_bare_answer_to_an_a_not_a_question(det: Detector, text: str, flagged: bool) -> None:
    assert bool(det.detect(text)) is flagged


@pytest.mark.parametrize(("text", "flagged"), [("招财还得靠自己努力，这个摆件就是好看", False), ("戴上这条手链能转运", True)])
def test_an_effect_left_to_the_buyer(det: Detector, text: str, flagged: bool) -> None:
    assert bool(det.detect(text)) is flagged
