"""Normalisation folds evasions and keeps an exact offset map back to the original text."""

from __future__ import annotations

import pytest

from models.normalize import normalize, normalize_pattern


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("最*好的面膜", "最好的面膜"),
        ("最 好", "最好"),
        ("最~好", "最好"),
        ("最😀好", "最好"),
        ("最最最好", "最好"),
        ("蕞低价", "最低价"),
        ("嘬好用", "最好用"),
        ("弟一品牌", "第一品牌"),
        ("zui好", "最好"),
        ("ZUI低价", "最低价"),
        ("di一", "第一"),
        ("第1名", "第一名"),
        ("第①", "第一"),
        ("全網最低價", "全网最低价"),
        ("ＡＢＣ１２３", "abc123"),
        ("決對有效", "绝对有效"),
        # Pinyin syllables of claim words, resolved by their neighbours (not in the fixed tables).
        ("bao过班", "保过班"),
        ("wen赚不赔", "稳赚不赔"),
        ("这串珠子能zhao财", "这串珠子能招财"),
        ("放在家里镇zhai", "放在家里镇宅"),
        ("yi生都推荐", "医生都推荐"),
        # -n typed for -ng and back (front and back nasals)
        ("国家lin导人同款", "国家领导人同款"),
        ("摆在fen水位上", "摆在风水位上"),
        # Tone-marked pinyin is typed bare.
        ("tè供的茶叶", "特供的茶叶"),
        ("ZUÌ好", "最好"),
    ],
)
def test_folds_evasions(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_benign_text_is_left_alone() -> None:
    for raw in ("弟弟今天来直播间了", "我喝醉了", "这是iPhone", "第12名", "谢谢大家，晚上好！"):
        n = normalize(raw)
        assert n.text.replace("iphone", "iPhone") == raw


def test_english_words_are_not_read_as_pinyin() -> None:
    assert normalize("这个是good的").text == "这个是good的"
    # Latin that happens to be pinyin, but makes no claim word with its neighbours, stays as it is.
    for raw in ("买个mini包", "lv包包", "ok的宝宝", "vip专享", "xl码偏大", "ins风的杯子"):
        assert normalize(raw).text == raw.lower()


@pytest.mark.parametrize(
    "raw",
    ["家人们，最*好的面膜！", "今天 zui 低价 哦", "全網最低價，😀第1😀", "ＮＯ．１的品质", "最最最最好", "a b c 最 ~ 好"],
)
def test_offset_map_points_at_original_characters(raw: str) -> None:
    n = normalize(raw)
    assert n.starts is None or len(n.starts) == len(n.text) == len(n.ends or ())
    for i, ch in enumerate(n.text):
        s, e = n.span(i, i + 1)
        assert 0 <= s < e <= len(raw)
        # the original span, normalised on its own, yields the same char (or contains it, for pinyin)
        assert ch in normalize(raw[s:e]).text or raw[s:e].isascii()
    # spans are monotonic
    spans = [n.span(i, i + 1) for i in range(len(n.text))]
    assert all(a[0] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_span_of_evasion_covers_inserted_separators() -> None:
    raw = "这是最*好的"
    n = normalize(raw)
    i = n.text.index("最好")
    s, e = n.span(i, i + 2)
    assert raw[s:e] == "最*好"


def test_patterns_fold_like_text() -> None:
    assert normalize_pattern("全網最低價") == normalize("全网最低价").text


def test_shipped_claim_pinyin_table_matches_the_lexicon() -> None:
    import json

    from models.normalize import CLAIM_PINYIN_PATH, build_claim_pinyin

    shipped = json.loads(CLAIM_PINYIN_PATH.read_text(encoding="utf-8"))
    assert shipped == build_claim_pinyin(), "stale table: run python -m models.normalize"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("z u i 好的外套", "最好的外套"), ("b.a.o过班", "保过班"), ("bu 能治病", "不能治病"), ("s m l 三个码", "s m l三个码")],
)
def test_letters_spelled_one_by_one(raw: str, expected: str) -> None:
    n = normalize(raw)
    assert n.text == expected
    assert n.span(0, 1)[0] == 0  # still maps back into the original


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("zhao cai 猫摆门口", "招财猫摆门口"), ("ok 好的 bao guo 班", "ok好的保过班"), ("we are the best", "we are the best")],
)
def test_pinyin_syllables_separated_by_spaces(raw: str, expected: str) -> None:
    n = normalize(raw)
    assert n.text == expected
    i = expected.find("招财")
    if i >= 0:
        assert raw[slice(*n.span(i, i + 2))] == "zhao cai"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GJ级认证的安全座椅", "国家级认证的安全座椅"),  # initials completed by the next character
        ("QWZD价！", "全网最低价！"),
        ("宇宙d1快", "宇宙第一快"),
        ("维生素D3", "维生素d3"),  # a vitamin, not 第三
        ("C位出道", "c位出道"),  # one letter is a word of its own
        ("DHA藻油", "dha藻油"),  # an abbreviation no lexicon word completes
        ("这个app", "这个app"),
    ],
)
def test_claim_words_written_as_pinyin_initials(text: str, expected: str) -> None:
    n = normalize(text)
    assert n.text == expected
    # every normalised character still maps back into the original text
    assert all(0 <= n.span(i, i + 1)[0] < n.span(i, i + 1)[1] <= len(text) for i in range(len(n.text)))
