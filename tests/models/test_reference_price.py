"""Spoken price parsing and inflated reference-price (虚构原价) claims."""

from __future__ import annotations

import pytest

from models.normalize import normalize
from models.reference_price import find_reference_price_claims, parse_price


@pytest.mark.parametrize(
    ("spoken", "value"),
    [
        ("九十九", 99),
        ("两千多", 2000),
        ("八百八", 880),
        ("一千八", 1800),
        ("两万五", 25000),
        ("十九块九", 19.9),
        ("三十九块九毛", 39.9),
        ("九块九毛九", 9.99),
        ("一百出头", 100),
        ("一百零九", 109),
        ("一千零五十", 1050),
        ("一百二十九", 129),
        ("999", 999),
        ("99元", 99),
        ("1.8万", 18000),
        ("一万八", 18000),
        ("六百多", 600),
        ("两千多块钱", 2000),
        ("九块九", 9.9),
        ("五十", 50),
        ("十", 10),
    ],
)
def test_parse_price(spoken: str, value: float) -> None:
    assert parse_price(spoken) == pytest.approx(value)


@pytest.mark.parametrize("text", ["衣服", "", "多", "万一", "千万", "百分百", "零", "九九", "1.2.3"])
def test_parse_price_rejects_non_prices(text: str) -> None:
    assert parse_price(text) is None


def spans(text: str) -> list[str]:
    return [text[start:end] for start, end, _, _ in find_reference_price_claims(text)]


@pytest.mark.parametrize(
    ("text", "span", "ref", "live"),
    [
        ("这套护肤品专柜价两千多，今天只要九十九", "专柜价两千多，今天只要九十九", 2000, 99),
        ("官方售价八百八，今天直播间只要八十八，骨折价", "官方售价八百八，今天直播间只要八十八", 880, 88),
        ("吊牌价一千八，今天十九块九包邮", "吊牌价一千八，今天十九块九", 1800, 19.9),
        ("外面卖六百多的衣服，我这里六十九", "外面卖六百多的衣服，我这里六十九", 600, 69),
        ("同款在商场卖三千多，我们这里一百出头就拿下", "商场卖三千多，我们这里一百出头", 3000, 100),
        ("原价999，今天99", "原价999，今天99", 999, 99),
        ("建议零售价1.8万，直播间秒杀价三千九", "建议零售价1.8万，直播间秒杀价三千九", 18000, 3900),
        # Quantities ("两件") and amounts off are not the live price.
        ("原价999，今天两件只要99", "原价999，今天两件只要99", 999, 99),
    ],
)
def test_claims(text: str, span: str, ref: float, live: float) -> None:
    claims = find_reference_price_claims(text)
    assert len(claims) == 1
    start, end, ref_price, live_price = claims[0]
    assert text[start:end] == span
    assert (ref_price, live_price) == (pytest.approx(ref), pytest.approx(live))


def test_several_claims_in_one_text() -> None:
    text = "原价999，今天99；吊牌价一千八，现在九块九"
    assert spans(text) == ["原价999，今天99", "吊牌价一千八，现在九块九"]


def test_min_ratio() -> None:
    assert spans("原价三百，今天一百") == ["原价三百，今天一百"]
    assert find_reference_price_claims("原价三百，今天一百", min_ratio=4.0) == []


@pytest.mark.parametrize(
    "text",
    [
        "原价一百五，今天一百二",  # modest discount
        "日常价一百二十九，今天到手一百零九",  # 日常价 is not an inflated-reference word; ratio is small anyway
        "专柜价两千多，品质有保障",  # no live price
        "今天到手价九十九",  # no reference word
        "原价999。今天99",  # different sentences
        "原价999，今天立减三百",  # an amount off, not a price
        "这个原价我就不说了，大家自己去看",  # price word without numbers
        "外面卖的都是假货，我们家是正品",
    ],
)
def test_no_claim(text: str) -> None:
    assert find_reference_price_claims(text) == []


def test_an_arabic_price_followed_by_a_spoken_count() -> None:
    (claim,) = find_reference_price_claims("吊牌价599，今天9.9两件")
    assert claim[2:] == (599.0, 9.9)


def test_a_spoken_price_followed_by_a_count() -> None:
    (claim,) = find_reference_price_claims("吊牌价一千二百九十九今天只要九十九一件")
    assert claim[2:] == (1299.0, 99.0)


@pytest.mark.parametrize(
    ("text", "ref", "live"),
    [
        ("原价八百九十九今天直播间只要九十九九十九啊", 899, 99),  # the live price said twice, run together
        ("平时我们店里卖六百多今天给你们四十九", 600, 49),
    ],
)
def test_transcript_shapes_of_a_reference_price(text: str, ref: float, live: float) -> None:
    assert [(r, v) for _, _, r, v in find_reference_price_claims(text)] == [(ref, live)]


def test_a_shop_price_with_a_modest_discount_is_no_claim() -> None:
    assert not find_reference_price_claims("我们店里卖一百二十九今天一百零九")


@pytest.mark.parametrize(
    ("text", "ref", "live"),
    [
        ("外面随便一家店都得卖你七百，我这儿一百出头", 700, 100),  # a place, words, then its verb
        ("这个锅在超市货架上标的是六百九十八，我们今天五十九块九", 698, 59.9),
        ("你去商场专柜看卖三千八一套的我今天一百二十九", 3800, 129),
    ],
)
def test_a_place_and_its_price_with_words_between(text: str, ref: float, live: float) -> None:
    assert [(r, v) for _, _, r, v in find_reference_price_claims(text)] == [(ref, live)]


@pytest.mark.parametrize("text", ["外面下雨了，今天大家早点睡", "超市里三块钱一包，我们今天也是三块", "外面卖三百，今天两百九十九"])
def test_no_comparison_or_no_inflation(text: str) -> None:
    assert find_reference_price_claims(text) == []


def test_a_reference_price_called_参考价() -> None:
    assert [(r, v) for _, _, r, v in find_reference_price_claims("参考价两千九百九十九 直播间专享九十九")] == [(2999, 99)]


def test_a_number_the_chat_is_asked_to_type_is_no_price() -> None:
    assert find_reference_price_claims("这个护手霜日常价五百九十九，今天直播间打九折，需要的扣1") == []


@pytest.mark.parametrize(
    ("text", "ref", "live"),
    [
        ("这款电动牙刷 商场专柜七百九十九 今天七十九 一模一样的", 799.0, 79.0),  # place then price, 一 of the next word
        ("这双运动鞋 专柜一千三 今天一百三 就是差一个零的事", 1300.0, 130.0),
        ("这瓶香水原价一千八 今天一百八 小样的价格买正装", 1800.0, 180.0),  # 小 is no unit unless 小时
        ("这个吹风机别人家卖的是五百九 我们二十九块九 包邮", 590.0, 29.9),  # the seller right before the price
        ("这个吸尘器 品牌店里标两千五 到我这儿二百五", 2500.0, 250.0),
        ("这套西装你看吊牌两千九百块我今天一百九十九给你们随便拿", 2900.0, 199.0),
        ("吊牌上写的是三百九十九，今天直播间九十九", 399.0, 99.0),
        ("这口锅柜台卖一千五，我今天六十九包邮到家", 1500.0, 69.0),
    ],
)
def test_spoken_comparisons_without_pauses(text: str, ref: float, live: float) -> None:
    found = find_reference_price_claims(normalize(text).text)
    assert [(r, lv) for _, _, r, lv in found] == [(ref, live)]


@pytest.mark.parametrize(
    "text",
    [
        "原价三千九九现价九十九那种原价谁信",  # 三千九九: digit by digit, ambiguous, not read as 3900
        "商场一楼有专柜，今天九十九",  # 一楼: a floor, not a price
        "原价一百九十九，我们九十九",  # half price: a plain discount
    ],
)
def test_no_comparison_without_a_parsed_reference(text: str) -> None:
    assert find_reference_price_claims(normalize(text).text) == []
