"""Context checks that tell a claim from a benign use of the same characters.

All functions work on NORMALISED text (models/normalize.py) and a candidate hit [start, end).  They look
only at the clause around the hit (clause = text between , ! ? ; : 。 、) and segment a small window with
jieba.posseg, so only segments that already have a candidate hit pay for segmentation.

The decisions model the language, not sentences:
  * superlative 最: function/time words (最近, 最后), quantity limits (最多/最高 + modal/verb + number),
    最好 as "had better" (addressee pronoun before it, or a verb/adverb/time word after it), 最 + verb of
    preference (最喜欢); 最 + adjective / evaluative word is a claim.
  * ordinal 第一: followed by a measure word, time or event noun (第一次, 第一时间) is counting; a ranking
    context before it (销量/行业/全网 第一) or nothing after it in the clause is a claim.
  * unique 唯一: followed by a descriptive noun (唯一的缺点) or a verb (唯一要注意) is description.
  * word: a short trigger must line up with jieba word boundaries (面包过期 is not 包过).
  * negation/disclaimer: a negator shortly before the hit in the same clause (不是最便宜的, 不能代替药物).
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba
import jieba.posseg as pseg

from models.normalize import CLAUSE_BOUNDARY, sentence_bounds

jieba.setLogLevel(60)

WINDOW = 8  # characters either side of a hit handed to jieba

# --- negation / disclaimers ---------------------------------------------------------------------------
NEGATORS = (
    "不是", "并不是", "不算", "并非", "不能", "不可以", "不可", "不一定", "不敢说", "不敢保证", "不保证",
    "不承诺", "不能说", "没有说", "没说", "谈不上", "称不上", "算不上", "不代表", "无法", "不宣传", "不说",
    "不叫", "不做", "从不", "不要", "切勿", "请勿", "千万别", "没有", "绝不说", "不得", "不属于", "不会说",
    "不用于", "不具有", "不具备", "不能用", "禁止", "不允许", "不是说", "别说", "别信", "不存在", "不会让",
    "不能让", "没法让", "没说过", "没有说过", "从来没说", "从没说", "不会", "不追求", "不用追求", "没必要",
    "没人能", "没有人能", "谁也不能", "谁都不能", "谁也没法", "不敢", "没请", "没找", "没邀请", "不请",
    "不搞", "不玩", "别指望", "不要指望", "别想着", "不推荐", "不建议", "没法", "没办法", "不签", "别",
    "不教", "不再承诺", "不再保证", "不给",
)
# Risk warnings and hedges: a classifier window holding one is a disclaimer, not a claim.
DISCLAIMERS = (
    "因人而异", "不代表", "有风险", "需谨慎", "要谨慎", "理性消费", "理性投资", "没法说", "没法保证", "不能保证", "不敢保证",
    "不保证", "不承诺", "不能承诺", "以实际为准", "请遵医嘱", "遵医嘱", "咨询医生", "去医院看", "去医院检查", "看医生",
    "皮肤科看", "不能代替", "不是药", "不是百分百", "只是辅助", "就是辅助", "辅助一下", "量力而行", "问医生", "仅供参考",
    "就是个装饰", "只是个装饰", "就是装饰", "的朋友注意", "患者注意", "建议别", "不建议", "建议饭后", "医生指导下", "说明书", "别乱", "少吃",
    "别吃", "别喝", "别买", "就是普通", "只是普通", "听医生的", "听康复科", "体检查出",
)
_NEGATOR_AT = re.compile("(?=(" + "|".join(sorted(NEGATORS, key=len, reverse=True)) + "))")
_SAY_NEGATOR = re.compile(
    "(?:从来|从)?没(?:有)?说过|从来没说|从没说|我可没说|并不是说|不是说|不会?跟你们?(?:讲|说)|不讲什么|不说什么|不吹什么"
    "|从来不说|从不说|不说自己|不(?:吹|说|讲)啥"
)
# The host turns away from what came before (它不是药，但比药管用): a negation or disclaimer before one of these
# does not reach the claim after it.
CONTRAST_WORDS = ("但", "却", "而是")
_NEG_MAX_GAP = 4  # chars allowed between the negator and the hit (不是说全网最低)
_DOUBLE_NEG = (
    "是不是", "不敢相信", "不敢想象", "不得不", "不能不", "不可不", "不要太", "不要错过", "不要犹豫", "不要等",
    # 别 inside a word, or urging the viewer on (别犹豫), negates nothing
    "别的", "别人", "别家", "特别", "区别", "分别", "告别", "级别", "类别", "个别", "识别", "差别", "性别", "别墅",
    "别犹豫", "别错过", "别等", "别走", "别划走", "别眨眼", "别急",
)

# --- superlative 最 -----------------------------------------------------------------------------------
ZUI_FUNCTION_WORDS = frozenset(
    ["最近", "最后", "最初", "最终", "最早", "最晚", "最迟", "最新", "最起码", "最先", "最末", "最开始", "最开头",
     "最重要", "最主要", "最关键", "最基本", "最常见", "最简单的方法", "最要紧", "最要命", "最怕", "最基础", "最底层",
     "最前面", "最后面", "最上面", "最下面", "最底下", "最里面", "最外面", "最左边", "最右边", "最中间", "最底部",
     "最顶上", "最上层", "最下层", "最外层", "最里层", "最内层", "最外圈", "最里圈"]
)
_ZUI_FUNCTION_TUPLE = tuple(ZUI_FUNCTION_WORDS)
_TIME_SCOPE = frozenset(["今年", "本场", "这场", "今天这场", "这一季"])
SELF_SCOPE = (
    "我们家", "我们店", "本店", "店里", "店内", "我家", "自家", "咱家", "我们品牌", "本品牌", "我们这几款", "这几个", "这几款",
    "直播里", "直播间里", "链接里",
    "几个色号", "在我脸上", "我自己", "我们有", "两个颜色", "几个颜色",
    "这几款里", "这几个里", "这三款", "这两款", "款里", "款中", "个型号里", "系列里", "今年", "本场", "这场", "今天这场", "这一季",
)
WIDE_SCOPE = ("全网", "全国", "国产", "进口", "全球", "世界", "地球", "宇宙", "行业", "同类", "市面", "天下", "史上", "国内", "所有", "平台", "业内", "比过价",
              "抖音", "淘宝", "天猫", "京东", "快手", "拼多多", "小红书", "类目", "品类", "赛道")
ZUI_LIMIT_WORDS = frozenset(
    ["最多", "最少", "最高", "最低", "最大", "最小", "最长", "最短", "最快", "最慢", "最晚", "最迟", "最远", "最久"]
)
_NUM = "0-9一二两三四五六七八九十半百千万几"
_LIMIT_VERBS = "可以能只要才就也到达为是有减打领送买拍享省给用发付再还都立便抢囤穿装放坐睡跑承重"
# 最高/最多/最低 + (short attribute) + modal/verb + number or time: a limit (最高可领200, 最快明天到,
# 最高时速16公里, 最高能优惠一百), not a ranking.
_LIMIT_RE = re.compile(
    r"(?:[^的品质效果价,!?;:。、，！？；：\s]{0,2}?)(?:的话)?(?:也就|也只|只能|可以|只要|只需|不超过|不到|能够|达到)?"
    rf"[{_LIMIT_VERBS}]{{0,3}}(?:优惠|便宜|抵扣|返现|补贴|赠送|折扣|减免)?[{_LIMIT_VERBS}]{{0,2}}"
    rf"(?:[{_NUM}]|今天|明天|后天|当天|次日|隔天|下午|上午|晚上|周|一半|一折)"
)
# Quantities a device or garment is specified by: 最大/最低 next to one reads the product's own range.
SPEC_NOUNS = (
    "容量", "温度", "功率", "转速", "负载", "承重", "尺寸", "内存", "速度", "时速", "续航", "电流", "电压", "档位", "风量",
    "吸力", "载重", "重量", "长度", "宽度", "高度", "深度", "厚度", "码数", "尺码", "压力", "亮度", "音量", "分辨率",
    "存储", "水压", "火力", "扬程", "加热", "制冷", "容积", "档", "码", "配置", "高配", "低配", "起投", "金额", "规格",
    "地方", "位置", "部位", "风险", "等级", "级别",
    "版本", "型号", "号", "尺寸", "份量", "克重", "分数", "分是",
)
_SPEC_AFTER = re.compile(
    "(?:[^的,!?;:。、，！？；：]{0,3}?|的(?:那个|那一|那款|那种|那档|一)?)(?:" + "|".join(SPEC_NOUNS) + ")"
)
_DIMENSION_AT = re.compile("[宽窄厚薄深浅高低长短大小轻重粗细]的?(?:地方|位置|部位|处)")
# Both ends of a range in one sentence (最小的码是S，最大的到3XL; 最低一档…最高配): the product's range.
_RANGE_PAIRS = (("最小", "最大"), ("最低", "最高"), ("最少", "最多"), ("最短", "最长"), ("最轻", "最重"))
_ZUI_NOT_PROMOTIONAL = ("忙", "冷", "热", "贵", "累", "开心", "难过", "头疼", "担心", "晚", "早", "远", "慢", "差", "麻烦",
                        "难", "饿", "困", "烦", "痛苦", "辛苦", "紧张", "激动", "感动")
_PICK_ONE = re.compile(
    "[大小长短高低轻重厚薄宽窄深浅][的](?:那个|那款|那种|那件|那一|那只|那台|那瓶|那盒|是)"
    # 最大的一颗是八毫米, 最大的有巴掌那么大: the largest piece of a lot, measured
    "|[大小长短高低轻重厚薄宽窄深浅][的](?:一[颗个只条根块片粒件张]|有(?=[\\d一二两三四五六七八九十几半巴拳]))"
    "|[^好棒强优佳牛美值的,!?;:。、，！？；：][的](?:那个|那款|那种|那件|那一|那只|那台|那瓶|那盒)"  # 最辣的那个慎拍
    "|[^的,!?;:。、，！？；：]{1,3}的是(?!我们|我家|咱家|全网)"  # 最划算的是买两盒装, 最白的是零号: which option
)
_CONDITION_ENDS = ("的时候", "时候", "以后", "之后", "软了", "熟了", "凉了", "冰了", "热了", "泡开了", "放凉", "冰镇", "一下",
                   "分钟", "小时", "秒", "度的水", "开了", "泡", "煮", "蒸", "烤", "冰", "热一下")
# Times and occasions of use: 睡前读最合适 says when the product is best used.
_WHEN = ("睡前", "饭前", "饭后", "早上", "早晨", "晚上", "白天", "夜里", "夏天", "冬天", "春天", "秋天", "春秋", "换季", "运动后",
         "洗完澡", "洗澡后", "出门前")
_WHEN_REACH = 5  # chars of the clause before 最
ADDRESSEES = ("你", "您", "大家", "咱", "各位", "宝宝们", "姐妹们", "家人们", "朋友们", "亲们", "老铁", "宝子们", "集美")
_HAO_CLAIM_NEXT = frozenset("的用吃看喝穿闻听玩使卖了啦呀哦嘛是之")
# 最好 + verb + more (最好用牛奶泡, 最好吃点东西再喝): advice; 最好用的 / 最好吃了 / 最好用。: a rating.
# Advice after 最好 that jieba does not tag as a verb (冷藏 n, 选 zg, 满 a).
_HAO_ADVICE_NEXT = (
    "冷藏", "冷冻", "放", "存", "选", "满", "等", "趁", "尽快", "及时", "提前", "避光", "密封", "搭配", "配合", "当天",
    "分开", "单独", "手洗", "温水", "避免", "不要", "空腹", "饭后", "睡前", "遵", "备", "拍", "买", "囤", "换",
)
_NUMERAL_CHARS = frozenset("一二两三四五六七八九十半几0123456789")
_HAO_ADVICE_AFTER_VERB = re.compile(r"[看吃用喝试穿闻问](?![的了呀啦哦嘛啊吧得,!?;:。、…，！？；：\s]|$)")
DESCRIPTIVE_NOUNS = (
    "缺点", "优点", "特点", "区别", "亮点", "卖点", "问题", "不足", "遗憾", "好处", "不同", "感受", "感觉",
    "毛病", "要求", "心愿", "愿望", "理由", "原因", "目的", "变化", "烦恼", "顾虑", "担心", "难点", "短板",
    "条件", "办法", "方法", "门槛", "限制", "差别", "作用", "建议", "注意", "要注意",
    "穿法", "用法", "吃法", "做法", "喝法", "搭配", "姿势", "位置", "时机", "优势", "劣势", "卖点是",
    "优惠", "福利", "赠品", "礼品", "活动", "事", "事情", "时候", "那会儿", "那天", "那段时间", "季节", "一次", "那次",
)
CLAIM_AFTER_ZUI = frozenset(
    [
        "受欢迎", "畅销", "热销", "值得", "适合", "值", "划算", "实惠", "有效", "靠谱", "出名", "火", "红",
        "好卖", "受", "省心", "耐用", "保值", "便宜", "低价", "优惠", "低", "高", "强", "好", "佳", "优", "大",
        "全", "齐", "正宗", "地道", "专业", "权威", "先进", "安全", "健康", "天然", "纯", "白", "嫩", "香",
    ]
)
_BEST_BENIGN_NOUNS = (
    "朋友", "闺蜜", "兄弟", "姐妹", "哥们", "伙伴", "时候", "时光", "年纪", "年华", "回忆", "祝福", "办法", "方法",
    "选择就是", "状态",
)
PREFERENCE_VERBS = (
    "喜欢", "爱", "想", "怕", "讨厌", "担心", "关心", "在意", "看重", "头疼", "害怕", "期待", "推荐", "常用",
    "需要", "希望", "羡慕", "佩服", "感动", "记得", "忘不了", "舍不得", "心疼", "烦",
)
_QUESTION = ("哪个", "哪款", "哪种", "哪一", "什么", "哪家", "谁")

# --- ordinal 第一 -----------------------------------------------------------------------------------------
ORD_MEASURE = frozenset("次步个天时件位批波轮单排款章集层页组套场号条点种手期届课节弹站道份遍句段年月周回眼口杯瓶盒袋包代档挡格颗粒针圈张本台根双对支只把辆部块片枚罐箱")
ORD_BENIGN_NEXT2 = ("时间", "季度", "部分", "阶段", "现场", "反应", "感觉", "印象", "眼看", "口感", "步骤", "件事", "学期", "学年",
                    "单元", "章节", "课时", "轮次", "口味",
                    "原则", "要务", "要求", "前提", "目标", "任务")  # 理财的第一原则是…: a priority, not a rank
RANK_CONTEXT = (
    "国产", "进口", "销量", "排名", "排行", "行业", "全网", "全国", "全球", "世界", "中国", "国内", "亚洲", "同类", "市场", "品类",
    "口碑", "人气", "好评", "榜", "天下", "业内", "类目", "网红", "全平台", "平台", "天猫", "淘宝", "京东",
    "抖音", "快手", "直播间", "品牌", "效果", "品质", "质量", "性价比", "销售额", "复购", "评分", "全城", "全省",
)
ORD_CLAIM_NEXT2 = ("品牌", "大牌", "名牌", "好用", "好吃", "厂家", "主播", "推荐", "选择")

# --- unique 唯一 ------------------------------------------------------------------------------------------
UNIQUE_CLAIM_NEXT = (
    "指定", "授权", "正品", "官方", "品牌", "真品", "认证", "专利", "正规", "合法", "一家", "一款", "厂家",
    "选择", "渠道", "供应", "生产", "代理", "经销", "出口", "合作", "推荐", "配方", "技术",
)
UNIQUE_BENIGN_NEXT = ("一次", "机会", "一天", "的机会", "一场", "麻烦", "不方便", "不太", "不好", "需要", "要提醒", "要说")


@lru_cache(maxsize=4096)
def _tag(window: str) -> tuple[tuple[str, str, int, int], ...]:
    """(word, flag, start, end) for a short window; cached because host speech repeats a lot."""
    out = []
    pos = 0
    for w in pseg.lcut(window, HMM=False):
        out.append((w.word, w.flag, pos, pos + len(w.word)))
        pos += len(w.word)
    return tuple(out)


_BOUNDARY_CLASS = "[" + "".join(re.escape(c) for c in sorted(CLAUSE_BOUNDARY)) + "]"
_LAST_BOUNDARY = re.compile(".*" + _BOUNDARY_CLASS, re.S)  # match(text, 0, pos): up to the last one before pos
BOUNDARY_RE = re.compile(_BOUNDARY_CLASS)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[cs, ce): from just after the last clause boundary before ``start`` to the first one at or after
    ``end`` (the text's ends if there is none).  Both scans run in the regex engine, not in Python."""
    m = _LAST_BOUNDARY.match(text, 0, start) if start > 0 else None
    cs = m.end() if m is not None else 0
    m = BOUNDARY_RE.search(text, end)
    ce = m.start() if m is not None else max(len(text), end)
    return cs, ce


def tokens_around(text: str, start: int, end: int) -> list[tuple[str, str, int, int]]:
    """Tagged tokens of the clause window around [start, end), with offsets into ``text``."""
    cs, ce = clause_bounds(text, start, end)
    a = max(cs, start - WINDOW)
    b = min(ce, end + WINDOW)
    return [(w, f, a + s, a + e) for w, f, s, e in _tag(text[a:b])]


def is_negated(text: str, start: int) -> bool:
    """A negator shortly before the hit in the same clause (不是最便宜的, 本品不能代替药物)."""
    cs, _ = clause_bounds(text, start, start)
    if _SAY_NEGATOR.search(text, cs, start) is not None:
        return True  # 我从来没说过这款耳机能让你治好…: a denied saying governs the whole clause after it
    window = text[max(cs, start - 10) : start]
    turn = max(window.rfind(w) for w in CONTRAST_WORDS)
    if turn >= 0:
        window = window[turn + 1 :]  # 它不是药但比药管用: a negation before 但 does not reach past it
    if not window:
        return False
    if window[-1] == "不" and window[-2:-1] == text[start : start + 1]:
        return False  # 靠不靠谱, 好不好用: an A-not-A question, not a negation
    if window[-1] in "不未没别" and not window.endswith(("不得不", "不能不")):
        return True  # 不保本, 未根治, 别停药
    for dn in _DOUBLE_NEG:
        window = window.replace(dn, "\0" * len(dn))
    # Every position where a negator starts (longest first), in one C-level scan of the <= 10-char window.
    limit = len(window) - _NEG_MAX_GAP
    return any(m.end(1) >= limit for m in _NEGATOR_AT.finditer(window))


def aligned(text: str, start: int, end: int) -> bool:
    """Does [start, end) start and end on jieba word boundaries (面包过期 does not contain the word 包过)?"""
    toks = tokens_around(text, start, end)
    bounds = {s for _, _, s, _ in toks} | {e for _, _, _, e in toks}
    return start in bounds and end in bounds


def _token_at(toks: list[tuple[str, str, int, int]], pos: int) -> int | None:
    for i, (_, _, s, e) in enumerate(toks):
        if s <= pos < e:
            return i
    return None


def superlative_benign(text: str, start: int, end: int) -> str | None:
    """Reason the 最 at ``start`` is not a superlative claim, or None if it is one."""
    cs, ce = clause_bounds(text, start, end)
    two = text[start : start + 2]
    if two in ZUI_FUNCTION_WORDS or text.startswith(_ZUI_FUNCTION_TUPLE, start):
        return "function word"
    if text.startswith("最适合", start) and not any(w in text[cs:start] for w in WIDE_SCOPE):
        if text.find("的", start + 3, min(ce, start + 11)) < 0:
            return "usage advice"  # 最适合煎蛋和牛排: what to use it for, not a ranking
        # 最适合搭配/穿/送 recommends a use; 最适合中国人的肌肤 ranks the product.
        toks = tokens_around(text, start + 3, start + 4)
        i = _token_at(toks, start + 3)
        if i is not None and toks[i][1][:1] == "v":
            return "usage advice"
    head = text[cs:start]
    if any(q in head for q in _QUESTION):
        return "question"
    if head.endswith(_CONDITION_ENDS) and not any(w in head for w in WIDE_SCOPE):
        return "best condition"  # 放两天软了最好吃, 存放的时候最好密封: how to use it, not a ranking
    if (
        any(w in head[-_WHEN_REACH:] for w in _WHEN) and "的" not in text[start + 1 : start + 4]
        and not any(w in head for w in WIDE_SCOPE)
    ):
        # 睡前读最合适, 春秋穿最舒服: when to use it, not a ranking (睡前用最好的面霜 still ranks face creams)
        return "best time"
    if _DIMENSION_AT.match(text, start + 1):
        return "specification"  # 最窄的地方五十二公分: where the product measures least, not a ranking
    if two in ZUI_LIMIT_WORDS:
        if _LIMIT_RE.match(text, start + 2) or text.startswith(
            ("可以", "能", "可", "不要", "别", "不能", "不超过", "不得", "也要", "也得", "也能", "也就", "都要", "都得"), start + 2
        ):
            return "quantity limit"  # 最高可领200, 最高可以叠加平台券
        if not any(w in head for w in WIDE_SCOPE) and (
            _SPEC_AFTER.match(text, start + 2, ce) or head.endswith(SPEC_NOUNS)
        ):
            return "specification"  # 最大洗涤容量, 最低温度, 内存最大的那一款: the product's own range

    if two == "最好" and text[start + 2 : start + 3] != "的":
        if any(head.rstrip().endswith(a) or head.endswith(a + "们") for a in ADDRESSEES) or any(
            a in head[-4:] for a in ("你", "您", "大家", "咱们")
        ):
            return "had better"
        nxt = text[start + 2 : start + 3]
        if not nxt or start + 2 >= ce:
            return None
        if nxt in "多少先再别问咨找提去" or nxt in _NUMERAL_CHARS or text.startswith(_HAO_ADVICE_NEXT, start + 2):
            # 最好多备几块, 最好先试用, 最好问一下医生 (jieba tags that 问 a noun), 最好三天内吃完, 最好冷藏
            return "had better"
        if nxt == "是" and start + 3 < ce:
            return "had better"  # 最好是冷藏, 最好是先试用: "preferably"; the claim reads 是最好的
        if nxt in _HAO_CLAIM_NEXT:
            return "had better" if _HAO_ADVICE_AFTER_VERB.match(text, start + 2) else None
        toks = tokens_around(text, start + 2, start + 3)
        i = _token_at(toks, start + 2)
        if i is not None and toks[i][1][:1] in ("v", "d", "t", "r", "p", "c") and toks[i][0] not in CLAIM_AFTER_ZUI:
            return "had better"
        return None
    if two == "最好" and text.startswith(_BEST_BENIGN_NOUNS, start + 3) and text[start + 2 : start + 3] == "的":
        return "idiom"  # 最好的朋友, 最好的办法是…
    if head.endswith(("主播", "主播是")):
        return "about the host"  # 弹幕说主播最美: a compliment to the host, not a claim about the product
    if text.startswith(_ZUI_NOT_PROMOTIONAL, start + 1):
        return "not a selling point"  # 最忙, 最冷, 最贵, 最开心: nobody advertises these
    m2 = _PICK_ONE.match(text, start + 1)
    if m2 is not None and not any(w in head for w in WIDE_SCOPE):
        return "picks a variant"  # 最大的那个是二十八寸, 最小的那个收纳盒: one of the product's own sizes
    # 最X的 + descriptive noun: 最大的优点, 最明显的特点 describe the product, compare nothing.
    m = text.find("的", start + 1, min(ce, start + 6))
    if m > 0 and text.startswith(DESCRIPTIVE_NOUNS, m + 1):
        return "descriptive"
    toks = tokens_around(text, start, end)
    i = _token_at(toks, start)
    if i is None:
        return None
    word, flag, s, e = toks[i]
    if s != start:
        return "inside word"
    if word in ZUI_FUNCTION_WORDS or flag in ("t", "f"):
        return "function word"
    if word == "最":
        if i + 1 >= len(toks) or toks[i + 1][2] >= ce:
            return "dangling"
        nword, nflag = toks[i + 1][0], toks[i + 1][1]
        if nword in CLAIM_AFTER_ZUI or nword[:1] in CLAIM_AFTER_ZUI and len(nword) <= 2 and nflag[:1] == "a":
            return None
        if nword.startswith(PREFERENCE_VERBS):
            return "verb of preference"  # jieba tags some of these as nouns (关心/n)
        if nflag[:1] == "v":
            # 我最喜欢/最怕 is the speaker's preference; other verbs (最显白, 最耐穿) rate the product.
            return "verb of preference" if nword.startswith(PREFERENCE_VERBS) else None
        if nflag[:1] in ("d", "p", "c", "r", "u", "m", "q", "f", "t"):
            return "not evaluative"
        return None
    return None


def superlative_extent(text: str, start: int) -> int:
    """End of the superlative phrase starting at 最 (最 + the word it grades: 最适合, 最强), so the
    evidence shows what was claimed rather than a lone 最."""
    _, ce = clause_bounds(text, start, start + 1)
    toks = tokens_around(text, start, start + 1)
    i = _token_at(toks, start)
    if i is None:
        return start + 1
    word, _, _, e = toks[i]
    if word == "最" and i + 1 < len(toks) and toks[i + 1][3] <= ce:
        return toks[i + 1][3]
    return min(e, ce)


def ordinal_benign(text: str, start: int, end: int) -> str | None:
    """Reason the 第一 at [start, end) is counting rather than a ranking claim, or None."""
    if text[start : start + 1] != "第":
        return None  # no.1 / top1 are rankings (sentence_reason: unless a no.2 follows)
    cs, ce = clause_bounds(text, start, end)
    prev = text[max(cs, start - 6) : start]
    ranked = any(r in prev for r in RANK_CONTEXT)
    nxt = text[end : end + 1]
    nxt2 = text[end : end + 2]
    if nxt2.startswith(ORD_CLAIM_NEXT2):
        return None
    if nxt2 in ("名的", "名是", "位的"):
        return None  # 第一名的爆款: a ranking used as a modifier
    if nxt in ("名", "家", "位") or nxt2 in ("把交", "梯队"):
        return None if ranked else "counting"
    if nxt in ORD_MEASURE or nxt2 in ORD_BENIGN_NEXT2:
        return "counting"
    if start == cs and end == ce and ce < len(text):
        return "enumeration"  # 第一，先领券；第二，…
    if ranked or end >= ce:
        return None
    toks = tokens_around(text, start, end)
    i = _token_at(toks, start)
    if i is not None and toks[i][3] > end:
        return "counting"  # 第一次 / 第一个 segmented as one numeral word
    j = _token_at(toks, end)
    if j is not None and toks[j][1][:1] in ("v", "d", "p", "r", "c", "u", "m", "q", "t"):
        return "counting"
    return None


def unique_benign(text: str, start: int, end: int) -> str | None:
    """Reason the 唯一 at [start, end) describes rather than claims exclusivity, or None."""
    cs, ce = clause_bounds(text, start, end)
    prev = text[max(cs, start - 6) : start]
    after = text[end:ce]
    if after.startswith("的"):
        after = after[1:]
    head = text[cs:start]
    if any(w in head for w in SELF_SCOPE) and not any(w in head for w in WIDE_SCOPE):
        return "own range"  # 我们店里唯一一款不参加满减的
    if after.startswith(UNIQUE_CLAIM_NEXT) or any(r in prev for r in RANK_CONTEXT):
        return None
    # (唯一一点不方便的是, 唯一一个缺点: the count before the noun changes nothing)
    rest = after[2:] if after.startswith(("一点", "一个", "一处")) else after
    if rest.startswith(DESCRIPTIVE_NOUNS) or rest.startswith(UNIQUE_BENIGN_NEXT):
        return "descriptive"
    if not after:
        return None
    toks = tokens_around(text, start, end)
    j = _token_at(toks, end + (1 if text[end : end + 1] == "的" else 0))
    if j is not None and toks[j][1][:1] in ("v", "d", "p", "r", "c"):
        return "descriptive"
    return None


# Cosmetic functions that registered product names carry (祛斑美白 and 防脱发 are special-use cosmetic
# categories) followed by the product's form: a name, judged by what is said about it, not by itself.
NAME_CLAIMS = frozenset(["祛痘", "祛斑", "生发", "防脱", "美白", "祛痘祛印", "淡斑", "抗皱"])
PRODUCT_FORMS = ("霜", "膏", "凝胶", "精华", "面膜", "乳", "液", "水", "贴", "洗面奶", "啫喱", "喷雾", "套装", "洗发水")
_MODALS = frozenset("能可会")  # 能治 in 水能治结石: jieba joins 水能, the claim is 治 on its own
# An answer the host gives to their own question (是不是最好的？当然是！): the question was rhetorical, a claim.
_AFFIRMED = re.compile(r"\s*(?:当然(?!不)|必须|肯定(?!不)|绝对(?!不)|毫无疑问|没错|那必须|那肯定|那当然|是的|对的"
                       r"|(?:能|会|可以|有|是)(?=[,!.;:。，！；…]|$))")
# …or denies (医生推荐的？没有，…): the clause was a question put to the host, whatever its wording.
_DENIED = re.compile(r"\s*(?:没有|没|不是|不能|不会|不可以|并没有|当然不|肯定不|绝对不|不不|no)(?![a-z])")
_A_NOT_A = ("是不是", "是否", "能不能", "会不会", "有没有", "可不可以", "好不好", "靠不靠谱", "行不行", "管不管用")
_A_NOT_A_RE = re.compile("|".join(_A_NOT_A))
_ANSWER_FIRST = frozenset(" \t当必肯绝毫没那是对能会可有不并n")  # first characters of _AFFIRMED / _DENIED
_YESNO = ("吗", "是不是", "能不能", "有没有", "可不可以", "会不会", "是否")
_WH = ("哪", "什么", "谁", "多少", "怎么", "为什么", "几个", "几天", "多久")
# A chat question read out by the host: (有人/宝宝/评论区…)(在)问 + the question.
_REPORTED_QUESTION = re.compile(
    r"(?:[^,!?;:。，！？；：]{0,8}?(?:有人|有个|有位|有宝宝|有姐妹|有朋友|有粉丝|有家人|好多人|很多人|好多宝宝|评论区|弹幕|公屏"
    r"|后台|宝宝们?|姐妹们?|家人们?|粉丝|你要|你们要|要是)[^,!?;:。，！？；：]{0,4}?)?(?:在|都在|一直|又)?问(?!题|候|世|问|一圈|一遍|遍)"
)
_REPORTING = re.compile("说|宣传|号称|吹|讲|标榜|打着")
_REPORTER = re.compile(
    "(?:有人|有些人|有的人|有个|有位|别人|人家|网上|他们|外面|别家|有的|谁|公屏|弹幕|评论区|网友|老人|老一辈|老辈人"
    "|有(?:个|些|的)?(?:主播|博主|商家|卖家|网红|达人|直播间|家人|宝宝|姐妹|粉丝|朋友)|那个|那些|那种)[^,!?;:。，！？；：]{0,4}?(?:说|讲|宣传|吹|传)"
    "|号称|说什么|什么|关于|要说|谁跟你|(?:^|[，,])说"
)
_DISMISSED = re.compile("[^，,。！？]{0,4}?[，,]?(?:那种|这种|之类的?|什么的|这个话|这话|这个说法|那是|那都是|这几个字|这个词|这些词)(?:广告|说法|宣传|话)?")
# Words that reject what was just reported (那些说能治病的都别信, 有人说…，没有的事).
REJECTIONS = (
    "别信", "不要信", "不能信", "别听", "不要听", "骗人", "别上当", "不可信", "不靠谱", "是假的", "智商税",
    "忽悠", "套路", "不存在的", "胡说", "瞎说", "没有的事", "没这回事", "没那回事", "谣言", "不可能的",
    "要小心", "得小心", "我们不说", "我们不这么说", "不这么说", "我们不讲", "骗你", "骗子", "拉黑",
    "不会这么讲", "不会这么说", "不能这么宣传", "不能这么说", "没这个功效", "没有这个功效", "不敢说",
    "别信那些", "不敢认", "不是我们", "从来不说", "我可没这么说", "没这么说", "不是的", "没那么夸张",
    "违法宣传", "违规宣传", "都没有", "只是个名字", "别对号入座", "别误会", "不回答", "不能宣传", "不是什么",
    "乱说", "乱讲", "瞎讲", "胡扯", "夸大", "不能啊", "不能哈", "不能的", "当然不能", "不会的", "不行的",
    "我不说", "我不能说", "我不会说", "不敢这么说", "没有依据", "没依据", "没有科学依据", "没科学依据",
    "不这么讲", "我可没说", "加戏", "就是违规", "都在查", "不吹", "不这么卖", "营销话术", "话术", "噱头",
    "出人命", "老说法", "不科学", "真不行", "那不行", "多个心眼", "留个心眼", "这就是个", "就是个普通",
    "假冒", "老人说的", "老一辈说的", "是迷信", "没关系", "夸张了", "是夸张", "太夸张", "瞎编", "言过其实",
)
# The host taking back what they just said (…最好用的 哎不对不对 不能说最好; 能旺桃花的 哈哈开玩笑的 别当真): a
# self-correction right after the hit refutes it with no reporter before it.  Also rejections.
RETRACTIONS = (
    "不对不对", "哎不对", "呀不对", "哦不对", "说错了", "口误", "我收回", "收回这句", "撤回", "开玩笑的", "开个玩笑",
    "别当真", "不能这么讲", "这话不能说", "这话不能讲", "这个话不能讲", "这个话不能说", "不能说最", "不能说第一", "不说第一",
    "换个说法", "更正一下", "纠正一下", "算了算了",
)
RETRACT_REACH = 12  # chars between the end of the hit and the start of the self-correction
_RETRACTION = re.compile("|".join(RETRACTIONS))
REJECTIONS += RETRACTIONS
_REJECTION = re.compile("|".join(REJECTIONS))
_DENIAL_OPENERS = (
    "不是说", "并不是说", "并不是", "没有说", "没说", "不是让", "我不说", "不敢说",
    "没有那种", "没那种", "不是那种", "但没有那种", "但是没有那种", "但不是那种",  # 但没有那种一下白一个度的效果
)


def is_question(text: str, start: int, end: int) -> bool:
    """The hit sits in a yes/no question (这是全网最低价吗？ read out from the chat), not an assertion."""
    cs, ce = clause_bounds(text, start, end)
    if ce + 1 < len(text) and (m := _A_NOT_A_NEG.search(text, max(cs, start - 1), end)) is not None:
        # 这个金条会不会亏，会，…: the hit holds the negated half (不会亏) and the host answers with the bare
        # verb, which affirms the other half: the claim is denied, whatever the question's shape
        ans = _AFFIRMED.match(text, ce + 1)
        if ans is not None and ans.group().strip() == m.group(1):
            return True
    return question_at(text, cs, ce, start)


_A_NOT_A_NEG = re.compile(r"([会能是有])[不没]\1")


# Where the host's answer starts inside an unpunctuated read-out question (有宝宝问音质咋样我跟你说…).
_ANSWER_START = re.compile("咋样|怎么样|好不好|行不行|好用吗|吗|呢|我跟你说|跟你们说|我告诉你|告诉你们|是的|当然是|放心")


QUESTION_REACH = 16  # chars after a hit within which an unpunctuated question can still be about it
ASK_REACH = 12  # chars after 问 that an unpunctuated read-out chat question runs to
_TREATMENT = ("治疗", "治病", "医治", "诊治")
_REFERRAL_BEFORE = re.compile(
    r"(?:(?:去|到|找|看)[^，,。！？]{0,6}?(?:医院|医生|大夫|门诊|科)|规范|正规|专业的?)[^，,。！？]{0,4}$"
)
_NAMING = (
    "叫", "叫做", "名叫", "取名", "名为", "名字是", "色号是", "寓意", "寓意着", "寓意是", "象征", "象征着", "图个", "讨个",
    "印的", "印着", "印有", "图案是",
)


def a_not_a(text: str, pos: int) -> bool:
    """Is the character at ``pos`` the second half of an A-not-A question (转不转运, 有没有风险)?"""
    return pos >= 2 and text[pos - 1] in "不没" and text[pos - 2] == text[pos]


def a_not_a_middle(text: str, pos: int) -> bool:
    """Is the character at ``pos`` the 不/没 in the middle of an A-not-A question (能不能, 会不会)?"""
    return pos >= 1 and text[pos] in "不没" and text[pos + 1 : pos + 2] == text[pos - 1]


def question_at(text: str, cs: int, ce: int, pos: int) -> bool:
    """question_clause() for a hit at ``pos`` in the clause [cs, ce): speech-to-text often drops the
    punctuation between a read-out question and its answer, so a hit after the answer starts is not in
    the question."""
    if a_not_a(text, pos):
        return True  # 转不转运, 招没招财: the claim word itself is asked
    tail = True
    ask = text.find("问", pos + 1, ce)
    if ask > 0 or ce - pos > QUESTION_REACH:
        # A long unpunctuated transcript clause: a question read out after the hit (…瘦不下来全额退款 有人问会不会
        # 拉肚子) or far from it is about something else; only the text up to it, and near the hit, can ask.
        ce, tail = min(ask if ask > 0 else ce, pos + QUESTION_REACH), False
    asked = text.rfind("问", cs, pos)
    if asked >= 0:
        last = None
        for last in _ANSWER_START.finditer(text, cs, pos):  # noqa: B007  (the last one is wanted)
            pass
        if last is not None:
            return question_clause(text, last.end(), ce, tail)
        long_run_on = ce - cs > 2 * ASK_REACH and (ce == len(text) or text[ce] not in "?？")
        if pos - asked > ASK_REACH and long_run_on:
            # 有人问孕妇能不能用这个面霜纯天然无副作用的…: a chat question read out without punctuation is short;
            # a hit this far after 问 in a long run-on clause is the host's answer.
            return question_clause(text, pos, ce, tail)
    return question_clause(text, cs, ce, tail)


# A tag asking the room to agree, at the end of the clause (…是不是啊家人们, …对不对): the clause asserts.
# So does an urging question there (…你们还在等什么, 还犹豫什么呢): nobody is asked for an answer.
_TAG_QUESTION = re.compile(
    r"(?:(?:是不是|对不对|是吧|对吧)[啊呀呢嘛吧哈啦]*(?:家人们|宝宝们|姐妹们|朋友们|老铁们|兄弟们|大家)?"
    r"|(?:家人们|宝宝们|姐妹们|朋友们|老铁们|兄弟们|大家|你们?)?还(?:在)?(?:等|犹豫|考虑|纠结|磨蹭|愣着干)什么)[啊呀呢嘛吧哈啦]*$"
)
_TAG_LAST = "是对吧啊呀呢嘛哈啦们家么"  # every _TAG_QUESTION match ends in one of these (a C-level test first)
# A wh-question comparing others with the seller or product (哪家能比我们效果好？你上哪找比这还便宜的？): nobody
# is asked anything; it claims that nothing is better or cheaper.
_RHETORICAL = re.compile(
    r"(?:哪|谁)[^,!?;:。，！？；：]{0,8}?(?:比|跟|和)(?:这个|这款|这|我们家|我们|咱们家|咱们|咱家|我家|我这|它)"
    r"[^,!?;:。，！？；：]{0,6}?(?:还|更|好|强|便宜|低|实惠|划算|专业|正宗|地道|有效|管用|值)"
    r"|(?:哪|谁)[^,!?;:。，！？；：]{0,4}?(?:比得过|比得上|打得过|做得过|便宜过|低过)"
)


def question_clause(text: str, cs: int, ce: int, tail: bool = True) -> bool:
    """is_question() for a hit in the clause [cs, ce) that its caller has already delimited: a yes/no or
    wh- question, or a question read out from the chat (有人问开没开光, 问吃多久能瘦).  ``tail=False``: [cs, ce)
    was cut short inside a longer clause, so the character at ``ce`` (a question mark, an answer) is not its own."""
    if tail and ce < len(text) - 1 and text[ce + 1] in _ANSWER_FIRST:  # (a C-level test before any regex)
        if _AFFIRMED.match(text, ce + 1):
            return False
        if text[ce] in "?？" and _DENIED.match(text, ce + 1):
            # 有没有比我们更猛的？没有！ answers a rhetorical comparison the host's way: still an assertion
            return _RHETORICAL.search(text, cs, ce) is None
    clause = text[cs:ce].rstrip()
    if "问" in clause and _REPORTED_QUESTION.match(text, cs, ce):
        return True
    tag = _TAG_QUESTION.search(clause) if clause[-1:] in _TAG_LAST else None
    if tag is not None and tag.start() >= 3:
        # 这是全网最低价是不是, 效果好得很对不对: the host asserts and asks the room to agree (or urges it on);
        # what is asked is only the clause before the tag.
        clause = clause[: tag.start()]
        ce = cs + len(clause)
        tail = False
    if _A_NOT_A_RE.search(text, cs, ce) is not None:
        return True  # 有人说这个是不是第一名的牌子, 能不能治颈椎我不敢说: speech-to-text drops question marks
    if clause.endswith(("吗", "么")) and not clause.endswith(("这么", "那么", "多么", "要么")):
        return True  # (a clause cut at QUESTION_REACH can end inside 这么细的)
    if tail and ce < len(text) and text[ce] in "?？":
        if _RHETORICAL.search(clause) is not None:
            return False  # 你上哪找比这还便宜的？(没有！) 谁能比得过我们家？: a question that asserts its answer
        # 独家？没有没有: a word echoed back as a question; otherwise it needs a question word
        return len(clause) <= 4 or any(q in clause for q in _YESNO + _WH)
    return False


# The seller named as the subject of the claim (我们家是做得最好的, 咱家就是最便宜的) compares it with everyone else;
# only as a place or range (在我们家, 我们家这几款里) does it scope the superlative.
_SELLERS = frozenset(["我们家", "我家", "咱家", "我们店", "本店", "我们品牌", "本品牌"])
_AS_SUBJECT = ("是", "就是", "才是", "绝对是", "肯定是", "做得", "做的", "做")


# The product's own options counted or numbered before a superlative (四个口味, 三个尺寸, 有三档, 第一档): it compares
# them with each other.
_VARIANTS = re.compile(
    f"[{_NUM}]+(?:个|种|款)?(?:口味|味道|颜色|色号|尺寸|尺码|规格|档位|型号|香型|档(?!次))|第[{_NUM}]+(?:档(?!次)|泡)"
)
_VARIANTS_REACH = 12  # chars before the superlative: options named just before it, not a spec list further back


_INGREDIENT_LIST = re.compile("配料|成分|原料")  # (配料表, 成分表 …)
_INGREDIENT_REACH = 12  # chars before 第一


def _own_scope(before: str) -> set[str]:
    """SELF_SCOPE words in ``before`` that scope a superlative or rank to the seller's own range or time."""
    return {
        w for w in SELF_SCOPE
        if w in before and not (w in _SELLERS and before.startswith(_AS_SUBJECT, before.rindex(w) + len(w)))
    }


def sentence_reason(text: str, start: int, end: int, context: str, rejections: bool = True) -> str | None:
    """Why a hit that its clause calls a claim is benign, judged on the whole sentence (outside the cached
    clause window): a reported and rejected claim, or one end of a range (最小的码是S，最大的到3XL).
    ``rejections=False``: the caller knows the text holds no REJECTIONS word (skips that check)."""
    if rejections and refuted_sentence(text, start, end):
        return "refuted"
    if text.endswith(_TOPIC_OPENERS, max(0, start - 2), start):
        _, ce = clause_bounds(text, start, end)
        if ce - end <= 3 and not text.startswith(_NAMES_IT, ce + 1):
            # 说到最便宜，我们这个确实不是…: the clause only names the subject of what follows; 说到最便宜的，就是我们家
            # answers it
            return "topic"
    if context == "ordinal" and text[end - 1 : end] == "1" and not text.startswith("第", start):
        # no.1是白色，no.2是黑色: numbering the product's own variants, not a ranking
        _, b = sentence_bounds(text, start, end)
        if text.find(text[start : end - 1] + "2", end, b) >= 0:
            return "enumeration"
    if context == "ordinal" and text.startswith("第一", start):
        if _INGREDIENT_LIST.search(text, max(sentence_bounds(text, start, end)[0], start - _INGREDIENT_REACH), start):
            return "ingredient order"  # 配料表大家自己看，排第一位的是生牛乳: the label lists by content
        a, _ = clause_bounds(text, start, end)  # the clause: a shop named clauses ago scopes nothing here
        before = text[a:start]
        own = _own_scope(before)
        if own and not own <= _TIME_SCOPE and not any(w in before for w in WIDE_SCOPE):
            return "own range"  # 在我们家销量排第一: a rank among the seller's own products
    if context == "superlative":
        two = text[start : start + 2]
        a, b = sentence_bounds(text, start, end)
        before = text[a:start]
        # 本店/我们家这几款里/今年 最…: a comparison inside the seller's own range or time, not with the market
        # (市场监管总局《广告绝对化用语执法指南》2023), judged on the whole sentence before the hit (所有平台都比过价了，
        # 我们家是最便宜的 compares with the market).  A price superlative scoped only by time (今年最低价) is a
        # historical-low claim, not an own-range comparison.
        own = _own_scope(before)
        price = text.startswith(("最低价", "最便宜", "最优惠", "最实惠"), start)
        wide = any(w in before for w in WIDE_SCOPE)
        if own and not wide and not (price and own <= _TIME_SCOPE):
            return "own range"
        if not wide and _VARIANTS.search(before, max(0, len(before) - _VARIANTS_REACH)) is not None:
            return "among its variants"  # 有三档，第一档最温和; 一共三个尺寸，最小的放内衣: the product's own options
        for lo, hi in _RANGE_PAIRS:
            if two in (lo, hi) and text.find(hi if two == lo else lo, a, b) >= 0:
                return "range"
    return None


# A registered function stated with its registration (特证的美白祛斑产品，国妆特字号可以查; 蓝帽子…保健功能是辅助
# 降血脂) is the claim the product is approved to make: 《化妆品监督管理条例》第十六条 (special cosmetics: 染发, 烫发,
# 祛斑美白, 防晒, 防脱发) and the 保健食品 function list.  A disease claim (能治, 根治) is never one.
REGISTRATION_MARKS = (
    "特证", "国妆特字", "特殊化妆品", "特殊用途化妆品", "蓝帽子", "小蓝帽", "蓝帽标", "保健食品", "国食健字", "卫食健字", "国食健注", "保健功能", "批准文号",
    "批文", "注册证号", "备案号", "批准功能", "批准的功能", "获批功能", "获批的功能",
)
REGISTERED_FUNCTIONS = frozenset([
    "美白", "祛斑", "淡斑", "美白祛斑", "祛斑美白", "防晒", "防脱", "防脱发", "染发", "烫发",
    "增强免疫力", "抗氧化", "改善记忆", "缓解视疲劳", "清咽", "改善睡眠", "缓解体力疲劳", "减少体内脂肪", "增加骨密度",
    "改善营养性贫血", "调节肠道菌群", "促进消化", "通便", "降血脂", "降血糖", "降血压", "辅助降血脂", "辅助降血糖",
    "辅助降血压", "祛痤疮", "祛黄褐斑", "改善皮肤水分", "促进排铅", "促进泌乳",
])
_ASSISTED = ("降血脂", "降血糖", "降血压")  # approved only as 辅助降…


def registered_claim(text: str, start: int, end: int) -> bool:
    """The hit is a registered function and its sentence cites the registration."""
    word = text[start:end]
    if word not in REGISTERED_FUNCTIONS or word in _ASSISTED and not text.endswith("辅助", 0, start):
        return False
    return registration_cited(text, start, end)


def registered_window(text: str, start: int, end: int) -> bool:
    """The classifier window [start, end) names a registered function and its sentence cites the
    registration (蓝帽子…保健功能是增强免疫力)."""
    window = text[start:end]
    return any(f in window for f in REGISTERED_FUNCTIONS) and registration_cited(text, start, end)


def registration_cited(text: str, start: int, end: int) -> bool:
    """The sentence around [start, end) cites a registration, not negated (不是特证 cites none)."""
    a, b = sentence_bounds(text, start, end)
    for m in REGISTRATION_MARKS:
        i = text.find(m, a, b)
        if i >= 0 and not text.endswith(("不是", "没有", "没", "无", "非", "不"), a, i):
            return True
    return False


def refuted_sentence(text: str, start: int, end: int) -> bool:
    """The sentence reports the claim to reject it after a comma (有人说X能治好Y，没有的事; 包过那种广告大家别信), or
    the host takes it back right after saying it (是最快的 哦说错了 我收回)."""
    a, b = sentence_bounds(text, start, end)
    if _REJECTION.search(text, end, b) is None:
        return False
    r = _RETRACTION.search(text, end, b)
    if r is not None and r.start() - end <= RETRACT_REACH and not _corrects_a_detail(text, start, end, r, b):
        return True  # taken back at once (这个是最快的 哦说错了)
    return _REPORTER.search(text, a, start) is not None or _DISMISSED.match(text, end) is not None


# What a self-correction restates: 不对不对，我说错了，是五升的不是六升的.
_RESTATED = re.compile("[,.。，、 ]*(?:我)?(?:说错了)?[,.。，、 ]*(?:这个|那个|应该)?是")
_RESTATED_REACH = 20
_FUNCTION_CHARS = frozenset("的这那个是了一不我你他她它们吗呢啊吧呀哦嘛,.。，、 ")


def _corrects_a_detail(text: str, start: int, end: int, r: re.Match[str], b: int) -> bool:
    """The self-correction ``r`` restates something other than the claim around the hit [start, end) (…通过率
    百分之百，不对不对，我说错了，是笔试加面试的全科班; …能镇宅辟邪，不对不对，这个是大号的): the size or the model was
    wrong, the claim stands.  One that shares a word with the claim's clause (市面上最快的 不对不对 是市面上比较快的;
    能修复屏障 纠正一下 是辅助保湿 不是修复屏障) is about the claim."""
    m = _RESTATED.match(text, r.end(), b)
    if m is None:
        return False
    cs, _ = clause_bounds(text, start, end)
    claim = text[cs : max(end, r.start())]
    return not _content_bigrams(claim) & _content_bigrams(text[m.end() : min(b, m.end() + _RESTATED_REACH)])


def _content_bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1) if _FUNCTION_CHARS.isdisjoint(s[i : i + 2])}


def said_negated(text: str, cs: int, pos: int) -> bool:
    """A denied saying (我不会跟你说, 从来没说过) in the clause before ``pos``."""
    return _SAY_NEGATOR.search(text, cs, pos) is not None


# (别在直播间听人说什么稳赚: a place may come between 别 and 听; 先别走听我说 is the host's own call)
_UNHEEDED = re.compile(
    "(?:别|不要|千万别|不能|别去)[^,!?;:。，！？；：相]{0,5}?(?:听|信)(?!我)(?:[^,!?;:。，！？；：]{0,6}?(?:说|讲|吹|宣传)|什么)"
)


def refuted_clause(text: str, cs: int, ce: int, rejections: bool = True) -> bool:
    """The clause reports a claim in order to reject it (那些说能根治鼻炎的都别信, 任何跟你说稳赚不赔的都是骗人的)
    or opens with a denial of it (不是说用了就不生病).  ``rejections=False``: the caller knows the text holds no
    REJECTIONS word, so only the opening denial is checked."""
    if text.startswith(_DENIAL_OPENERS, cs):
        return True
    if not rejections:
        return False
    if _UNHEEDED.search(text, cs, ce) is not None:
        return True  # 别听人家说泡脚能治这个治那个
    m = _REPORTING.search(text, cs, ce)
    return m is not None and _REJECTION.search(text, m.end(), ce) is not None


def decision_window(text: str, start: int, end: int, context: str) -> tuple[int, int]:
    """[a, b) of ``text`` that decides ``benign_reason`` + ``is_negated`` for the hit [start, end): the
    same answers come from ``text[a:b]`` with the hit shifted by -a, so the detector can cache them by
    that window (host speech repeats).

    a is the clause start: nothing reads before it.  b is normally just past the boundary that ends the
    clause: the checks read that boundary character (is_question) and, past it, only compare words that
    contain no boundary character (function words, 的 + descriptive noun, 第一 + next two chars...), which
    therefore cannot match across it.  Two superlative reads can cross it, so there b reaches 32 chars
    past the hit (they read < 20): _LIMIT_RE, whose first group admits "…", and the jieba window of
    最适合 + next char.  KEEP IN SYNC when a check starts reading further;
    tests/models/test_detector_fast.py compares window and full-text decisions."""
    cs, ce = clause_bounds(text, start, end)
    b = ce + 1
    if ce < len(text) and ((m := _AFFIRMED.match(text, b)) is not None or (m := _DENIED.match(text, b)) is not None):
        b = m.end() + 1  # question_clause reads the answer after the question mark (and what follows it)
    if context == "superlative" and ce < len(text) and (text[ce] == "…" or text.startswith("最适合", start)):
        b = max(b, end + 32)
    return cs, b


# A claim word made the topic of the sentence (祛痘这个东西因人而异, 开光这个说法): talked about, not promised.
_TOPICALIZED = ("这个事", "这件事", "这种事", "这个东西", "这个说法", "这种说法", "这个概念")
_UP_TO_YOU = ("靠自己", "靠你自己", "得靠自己", "还得靠自己", "要靠自己", "全靠自己", "还是靠自己")
_TOPIC_OPENERS = ("说到", "说起", "讲到", "提到", "至于", "关于")
_NAMES_IT = ("就是", "那就是", "还得是", "肯定是", "当然是", "还是", "必须是", "非", "首推", "首选")


def named(text: str, start: int) -> bool:
    """Does the word at ``start`` follow 叫/名叫/取名…, or 寓意/象征/图个…: a product, scent or colour name (这款香薰
    叫好运来), or what an ornament stands for (平安扣寓意平平安安, 本命年图个吉利), not an effect promised?"""
    return text.endswith(_NAMING, max(0, start - 3), start)


def benign_reason(text: str, start: int, end: int, context: str) -> str | None:
    """Why the hit is not a claim (None: it is one), before negation; ``context`` is the entry's mode."""
    if is_question(text, start, end):
        return "question"
    if named(text, start):
        return "a name"
    if text.startswith(_TREATMENT, start):
        under = text.startswith(("中的", "中，", "中,", "中。"), end) or text.endswith(("正在", "接受"), max(0, start - 2), start)
        if under:
            return "under treatment"  # 正在治疗中的病人请遵医嘱: the patient's state, not the product's effect
        cs, _ = clause_bounds(text, start, end)
        if _REFERRAL_BEFORE.search(text, max(cs, start - 14), start):
            return "referral"  # 骨质疏松要去医院骨科规范治疗: treatment is sent to a doctor, not claimed
    if text.startswith(_TOPICALIZED, end):
        return "topic"  # 祛斑这个事说实话…: the subject the host talks about, not a promise
    if text.startswith(_UP_TO_YOU, end):
        return "up to the buyer"  # 保平安靠自己, 瘦下来还得靠自己: the effect is the buyer's doing, not the product's
    if context == "superlative" and text[start : start + 1] == "最":
        return superlative_benign(text, start, end)
    if context == "ordinal":
        return ordinal_benign(text, start, end)
    if context == "unique":
        return unique_benign(text, start, end)
    if text.startswith(PRODUCT_FORMS, end) and text[start:end] in NAME_CLAIMS:
        return "product name"  # 祛痘凝胶 满两件打九折: the product's name, not a claim made about it
    if (context == "word" or end - start <= 2) and not aligned(text, start, end):
        if not (text[start] in _MODALS and end - start >= 2 and aligned(text, start + 1, end)):
            return "inside another word"
    return None
