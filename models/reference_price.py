"""Inflated reference prices (虚构原价 / 虚假价格比较) in host speech.

《明码标价和禁止价格欺诈规定》(2022) 第十九条 forbids quoting a made-up "original" price so that the live price
looks like a huge discount: "吊牌价一千八，今天十九块九包邮".  A claim is a reference-price phrase with its
price, followed in the same sentence by a live-price phrase with its price, where reference / live is at
least ``min_ratio`` (a plain discount such as "原价一百五，今天一百二" is legitimate).

Input is already normalised (models/normalize.py): simplified Chinese, half-width lower-case digits and
letters, clause punctuation kept.  Spoken prices are parsed by hand (cn2an is not a dependency).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from models.normalize import SENTENCE_END_RE

__all__ = ["REFERENCE_PLACES", "REFERENCE_WORDS", "parse_price", "find_reference_price_claims"]

_DIGIT = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = "零一二两三四五六七八九"

# Whole-price grammar: number, optional 多/出头 (a lower bound: keep the round figure), optional 块/元 with
# 毛 and 分 digits ("十九块九" = 19.9, "九块九毛九" = 9.99).
_PRICE_RE = re.compile(
    rf"(?P<num>(?:\d+(?:\.\d+)?|[{_CN_NUM}])+)(?:多|出头)?"
    rf"(?:(?:块钱?|元)(?:(?P<jiao>[\d{_CN_DIGIT}])[毛角]?(?:(?P<fen>[\d{_CN_DIGIT}])分?)?)?钱?)?"
    r"(?:多|出头|左右)?"
)
_NUM_PART_RE = re.compile(r"\d+(?:\.\d+)?|.")


def _parse_number(s: str) -> float | None:
    """Integer part: Chinese numerals, Arabic digits, or a mix ("1.8万", "1万8").  Colloquial trailing digit:
    after a unit it means the next unit down (八百八 = 880, 一万八 = 18000) unless 零 intervened (一百零九)."""
    total = 0.0  # finished 万/亿 groups
    section = 0.0  # value below the last big unit
    num: float | None = None  # pending digit not yet multiplied by a unit
    num_is_digit = False  # the pending number is one spoken/written digit (colloquial rule applies)
    last_unit: int | None = None
    zero = False
    for tok in _NUM_PART_RE.findall(s):
        if tok[0].isdigit():
            if num is not None:
                return None
            try:
                num = float(tok)
            except ValueError:
                return None
            num_is_digit = len(tok) == 1
        elif tok in _DIGIT:
            if tok in "零〇":
                zero = True
                continue
            if num is not None:  # "九九": digit-by-digit reading is ambiguous, not accepted
                return None
            num, num_is_digit = float(_DIGIT[tok]), True
        elif tok in _SMALL_UNIT:
            unit = _SMALL_UNIT[tok]
            if num is None:
                if tok != "十":  # "百分百", "千万别": no leading digit, not a number
                    return None
                num = 1.0
            if last_unit is not None and unit >= last_unit:  # "一百一千"
                return None
            section += num * unit
            num, last_unit, zero = None, unit, False
        elif tok in _BIG_UNIT:
            unit = _BIG_UNIT[tok]
            if num is not None:
                section += num
            if section == 0 and num is None:  # "万一"
                return None
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, num, last_unit, zero = 0.0, None, unit, False
        else:
            return None
    if num is not None:
        if last_unit is not None and not zero and num_is_digit:
            section += num * (last_unit // 10)
        else:
            section += num
    return total + section


@lru_cache(maxsize=2048)  # a pure function of the token; spoken prices repeat (九块九, 一百九十九)
def parse_price(text: str) -> float | None:
    """A spoken or written price as a number ("八百八" -> 880, "十九块九" -> 19.9, "两千多" -> 2000), else None.

    "多"/"出头" give the lower bound; zero is not a price.
    """
    m = _PRICE_RE.fullmatch(text)
    if m is None:
        return None
    value = _parse_number(m["num"])
    if value is None or value <= 0:
        return None
    for group, scale in (("jiao", 0.1), ("fen", 0.01)):
        if m[group]:
            d = m[group]
            value += (int(d) if d.isdigit() else _DIGIT[d]) * scale
    return round(value, 2)


# --- claim finding -------------------------------------------------------------------------------------

REFERENCE_WORDS = _REF_WORDS = (
    *"建议零售价 零售价 原价 专柜价 吊牌价 官方售价 官方价 官网价 市场价 指导价 门店价 门市价 划线价 标价 参考价".split(),
    *(
        f"{where}{li}{du}{verb}"
        for where in "外面 外边 别人 别家 商场 专柜 实体店 线下 门店 官网 平时 平常 店里 市场上 市面上 药店 医院 母婴店 超市 专卖店 别的直播间".split()
        for li in ("", "里")
        for du in ("", "都")
        for verb in "卖要"
    ),
)
# Where a price is said with words between the place and its verb (外面随便一家店都得卖你, 商场专柜看卖, 超市货架上标的是):
# the place, up to ten characters of the same clause, then 卖/标/要/价.  The places also ride in the lexicon's
# automaton, so a text without one never gets here.
REFERENCE_PLACES = (
    "外面", "外边", "市场上", "市面上", "商场", "专柜", "超市", "实体店", "线下", "药店", "母婴店", "金店", "别家", "别人家", "官网",
    "品牌店", "珠宝店", "家具城", "卖场", "水果店", "菜市场", "便利店", "柜台", "吊牌", "标签",
)
# ... or a place said right before its price, the verb left out (专柜一千三，今天一百三).
_LOOSE_REF_RE = re.compile(
    f"(?:{'|'.join(REFERENCE_PLACES)})(?:[^，,。！？!?；;\\d]{{0,10}}?(?:卖|标|要|价|写)(?:的是|的|是|你|着)?|(?=[\\d一二两三四五六七八九]))"
)
# Longest alternatives first so a span starts at 建议/官方 rather than 零售价/价.
_REF_RE = re.compile("|".join(sorted(_REF_WORDS, key=len, reverse=True)))
# The gate.  Every reference word ends in 价, 卖 or 要, so sre scans for that character set in C; a cheap
# one-character look-behind (售价, 原价, 面卖 ...) drops most hits (到手价, 只要) before the per-word
# look-behinds run.  About 4x faster than searching with _REF_RE, whose alternation has no prefix to skip on.
_LAST = "".join(sorted({w[-1] for w in _REF_WORDS}))
_REF_GATE = re.compile(
    f"[{_LAST}](?<=[{''.join(sorted({w[-2] for w in _REF_WORDS}))}][{_LAST}])"
    f"(?:{'|'.join(f'(?<={w})' for w in _REF_WORDS)})"
)
_REF_MAX_LEN = max(map(len, _REF_WORDS))
_LIVE_RE = re.compile(
    "今天|现在|直播间|只要|只需|仅需|只卖|到手|我们这里|我这里|这里|这边|秒杀|福利价|活动价|宠粉价|直播价"
    "|拍下|下单|给到|我这儿|我这|咱这|我们这"
    # the seller right before a number (别人家卖五百九，我们二十九块九)
    "|(?:我们|咱们|咱家|我家|咱|我)(?=[\\d一二两三四五六七八九])"
)
# Candidate price in running text: not starting inside a number or after 第 ("第一百"); the 毛 digit is
# not taken when a measure word follows ("九十九块一件" is 99 for one item), except 包邮.
_UNIT = "件个套瓶支盒包袋片双条只份台次天号码折秒分点月年岁倍度位单罐桶箱斤克升米寸人颗粒张本把对小周期款色%"
_TOKEN_RE = re.compile(
    rf"(?<![\d.{_CN_NUM}第])(?:\d+(?:\.\d+)?|[{_CN_NUM}])+(?:多|出头)?"
    rf"(?:(?:块钱?|元)(?:[\d{_CN_DIGIT}](?:[毛角]|(?=包邮)|(?![{_UNIT}]))(?:[\d{_CN_DIGIT}]分?)?)?钱?)?"
    r"(?:多|出头|左右)?"
)
# Numbers right after these are amounts off or gifts, not prices ("今天立减三百").
# 不要: the price counted down past (不要三千六，不要一千六，只要两百九) is not the one asked.
# 扣1, 扣个1, 刷个1: the chat is asked to type a number.
_NOT_PRICE_BEFORE = ("减", "省", "送", "返", "降了", "便宜", "优惠", "补贴", "红包", "券", "差", "加", "不要", "扣", "扣个", "刷", "刷个", "打个")
_COUNTED = frozenset("件个套瓶支盒包袋双条只份台")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CN_DIGIT_SET = frozenset(_CN_DIGIT) - {"零"}
_REF_GAP = 6  # characters allowed between the reference phrase and its price ("原价是要九十九")
_LIVE_GAP = 8  # characters allowed between the live phrase and its price ("今天直播间只要八十八")


def _prices(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int, float]]:
    """Every plausible price token in ``text[pos:endpos]`` as (start, end, value), lazily: the caller
    usually needs only the first two."""
    for m in _TOKEN_RE.finditer(text, pos, len(text) if endpos is None else endpos):
        tok, start, end = m.group(), m.start(), m.end()
        half = len(tok) // 2
        if half >= 2 and tok[:half] == tok[half:]:
            tok, end = tok[:half], start + half  # 九十九九十九: a price said twice runs together in a transcript
        if tok[0].isdigit() and (a := _ARABIC.match(tok)) and tok[a.end() : a.end() + 1] in _CN_DIGIT_SET:
            # 9.9两件: an Arabic price, then a spoken count; the count is not part of the price
            tok, end = a.group(), start + a.end()
        currency = "块" in tok or "元" in tok
        if not currency and len(tok) >= 3 and tok[-1] in _CN_DIGIT_SET and text[end : end + 1] in _COUNTED and (
            not text.startswith("包邮", end)
        ):
            tok, end = tok[:-1], end - 1  # 九十九一件: 99 for one item (the last digit counts items)
        if not currency:
            nxt = text[end : end + 1]
            # A bare number before a measure word / unit is a quantity or time ("两件", "八点", "50ml").
            if (
                nxt and (nxt in _UNIT or nxt.isascii() and nxt.isalpha()) and not text.startswith("包邮", end)
                and (nxt != "小" or text.startswith("小时", end))  # 一百八小样: 小 counts only as 小时
            ):
                continue
            # A lone Chinese digit is mostly a word ("一起", "一定"), not a price.
            if len(tok) == 1 and not tok.isdigit():
                continue
        if text[max(0, start - 2) : start].endswith(_NOT_PRICE_BEFORE):
            continue
        value = parse_price(tok)
        if value is None and len(tok) >= 3 and tok[-1] == "一":
            # 七十九一模一样, 二百五一折: pauses are dropped in normalisation, so the next word's 一 ran on; an 一
            # that cannot continue the number starts that word (三千九九 stays unparsed: digit by digit is ambiguous)
            value = parse_price(tok[:-1])
            end -= 1
        if value is not None:
            yield start, end, value


def find_reference_price_claims(text: str, min_ratio: float = 3.0) -> list[tuple[int, int, float, float]]:
    """(start, end, reference_price, live_price) for each inflated reference-price comparison in ``text``.

    The span runs from the reference phrase (原价, 专柜价, 外面卖 ...) to the end of the live price; both prices
    are in one sentence (commas do not end it) and reference / live >= ``min_ratio``.
    """
    gate = _REF_GATE.search(text)
    if gate is None:  # the common case: no reference word, no further work
        loose = _LOOSE_REF_RE.search(text)
        if loose is None:
            return []
        first = loose.start()
    else:
        first = max(0, gate.end() - _REF_MAX_LEN)
    if _LIVE_RE.search(text, first) is None:
        return []  # 原价一百九 with no live price phrase after it: nothing to compare, no price parsing
    # The gate matched the last character of the first reference word (or a place started one); from there on,
    # every reference phrase in turn.
    ref = _next_ref(text, first)
    claims: list[tuple[int, int, float, float]] = []
    while ref is not None:
        resume = ref.end()
        end_m = SENTENCE_END_RE.search(text, ref.end())
        sentence_end = end_m.start() if end_m else len(text)
        prices = _prices(text, ref.end(), sentence_end)  # only this sentence can hold the comparison
        ref_price = next(prices, None)
        if ref_price is not None and ref_price[0] - ref.end() <= _REF_GAP:
            prev_end = ref_price[1]
            for start, end, value in prices:
                # The live phrase must sit between the previous price and this one, close to this one.
                lo = max(prev_end, start - _LIVE_GAP - 4)
                # (endpos one past ``start``: 我们(?=二) must see the price's first character)
                if any(start - _LIVE_GAP <= lm.end() <= start for lm in _LIVE_RE.finditer(text, lo, start + 1)):
                    if ref_price[2] / value >= min_ratio:
                        claims.append((ref.start(), end, ref_price[2], value))
                        resume = end
                    break  # the first live price is the one compared with the reference
                prev_end = end
        ref = _next_ref(text, resume)
    return claims


def _next_ref(text: str, pos: int) -> re.Match[str] | None:
    """The first reference phrase at or after ``pos``: a fixed word (原价, 外面卖) or a place with its verb."""
    fixed = _REF_RE.search(text, pos)
    loose = _LOOSE_REF_RE.search(text, pos, fixed.start() + 1 if fixed is not None else len(text))
    if loose is None or fixed is not None and fixed.start() <= loose.start():
        return fixed
    return loose
