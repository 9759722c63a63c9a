"""Title, brand and category normalisation plus the fuzzy scorers used to match product cards.

Everything here is a pure function over strings (the TF-IDF scorer holds a fitted IDF vector, built
once).  The pieces:

* :func:`normalise_text` - NFKC, traditional->simplified, lower case, accents folded, livestream
  marketing noise (【直播专享】限时秒杀 包邮 ...) removed, known brand aliases (English, pinyin,
  sub-brands) rewritten to one canonical Chinese brand, punctuation/emoji dropped.
* :func:`brands_of` / :func:`canonical_brand` - the canonical brands of a brand field and a title.
* :func:`model_numbers` - model-number keys (X200, HX6730, 42115, 小米14 -> "14"); quantities,
  capacities, years and generic tech tokens (5G, 4K, 3C) are not model numbers.
* :func:`models_compatible` - the model-number veto: X200 vs X300 is incompatible.
* :func:`canonical_category` / :func:`category_group` - category synonyms (家电/小家电/厨房电器...).
* the scorers: :func:`score_token_set`, :func:`score_wratio`, :class:`TfidfScorer`, and
  :func:`pair_features` which the shipped matcher (``models.selection.ProductMatcher``) combines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

import opencc
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

_T2S = opencc.OpenCC("t2s")

# --------------------------------------------------------------------------------------------- brands
# canonical (Chinese where the brand has one) -> aliases (English, romanisation, sub-brand spellings).
# The pinyin of every Chinese canonical name is added automatically (欧莱雅 -> "oulaiya").
# ``_PARENT`` folds sub-brands into their family so 红米 and 小米 do not conflict.
BRANDS: dict[str, tuple[str, ...]] = {
    "欧莱雅": ("loreal", "l oreal", "巴黎欧莱雅"),
    "兰蔻": ("lancome",),
    "雅诗兰黛": ("estee lauder", "esteelauder"),
    "完美日记": ("perfect diary", "perfectdiary"),
    "花西子": ("florasis",),
    "珀莱雅": ("proya",),
    "自然堂": ("chando",),
    "韩束": ("kans",),
    "小米": ("xiaomi", "mi", "米家", "mijia"),
    "红米": ("redmi",),
    "华为": ("huawei",),
    "荣耀": ("honor",),
    "苹果": ("apple", "iphone", "ipad", "macbook"),
    "三星": ("samsung",),
    "vivo": ("维沃",),
    "oppo": ("欧珀",),
    "联想": ("lenovo",),
    "索尼": ("sony",),
    "美的": ("midea",),
    "苏泊尔": ("supor",),
    "九阳": ("joyoung",),
    "格力": ("gree",),
    "海尔": ("haier",),
    "戴森": ("dyson",),
    "飞利浦": ("philips",),
    "松下": ("panasonic",),
    "公牛": ("bull",),
    "欧普": ("opple", "欧普照明"),
    "雷士": ("nvc", "雷士照明"),
    "雅迪": ("yadea",),
    "爱玛": ("aima",),
    "乐高": ("lego",),
    "奥迪双钻": ("auldey",),
    "好孩子": ("goodbaby",),
    "三只松鼠": ("three squirrels",),
    "良品铺子": ("bestore",),
    "百草味": ("be and cheery",),
    "蒙牛": ("mengniu",),
    "伊利": ("yili",),
    "李宁": ("li ning", "lining"),
    "安踏": ("anta",),
    "耐克": ("nike",),
    "阿迪达斯": ("adidas",),
    "优衣库": ("uniqlo",),
    "倍思": ("baseus",),
    "绿联": ("ugreen",),
    "安克": ("anker",),
    "贝亲": ("pigeon",),
    "科沃斯": ("ecovacs",),
    "石头": ("roborock",),
}
_PARENT: dict[str, str] = {"红米": "小米"}
# Chinese brand names that are also ordinary words (超美的连衣裙, 小米粥, 苹果醋, 好孩子, 联想到).  In
# free text (titles, transcripts) they count only when a product noun or a model number follows
# within a few characters ("美的电饭煲", "小米14", "苹果手机"); in a brand field they always count.
AMBIGUOUS_BRANDS = {"美的", "小米", "苹果", "石头", "荣耀", "好孩子", "联想", "三星", "公牛", "自然堂"}
PRODUCT_NOUNS = (
    "手机", "电脑", "笔记本", "平板", "手环", "手表", "耳机", "电视", "显示器", "音箱", "路由器", "充电", "电饭煲", "电饭锅",
    "空调", "冰箱", "洗衣机", "热水器", "微波炉", "烤箱", "空气炸锅", "电磁炉", "净水器", "油烟机", "破壁机", "豆浆机",
    "风扇", "扫地", "扫拖", "吸尘器", "洗地机", "安全座椅", "座椅", "推车", "童车", "插座", "插线板", "排插", "开关",
    "冰肌水", "面霜", "精华", "水乳", "旗舰", "官方", "家电", "电器", "智能",
)
_AMBIG_WINDOW = 8


def _fold(text: str) -> str:
    """NFKC + traditional->simplified + lower case + Latin accents removed (L'Oréal -> l'oreal)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _T2S.convert(text).lower()
    if any(ord(c) > 127 and unicodedata.category(c) == "Ll" for c in text):
        text = "".join(
            c2
            for c in text
            for c2 in (unicodedata.normalize("NFKD", c) if ord(c) < 0x2E80 else c)
            if not unicodedata.combining(c2)
        )
    return text


def _compact(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def _is_ascii_word(s: str) -> bool:
    return all(c.isascii() for c in s)


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text))


@lru_cache(maxsize=1)
def _alias_table() -> tuple[tuple[str, str, re.Pattern[str] | None], ...]:
    """(alias in folded form, canonical brand, ascii-boundary regex or None) longest alias first."""
    rows: dict[str, str] = {}
    for canon, aliases in BRANDS.items():
        names = {canon, *aliases}
        if not _is_ascii_word(canon):
            names.add(_pinyin(canon))
        for name in names:
            rows[_fold(name).replace("'", " ")] = canon
    out = []
    for alias in sorted(rows, key=lambda a: (-len(a), a)):
        if _is_ascii_word(alias):
            # "mi" must not fire inside "redmi" or "mini"; digits may follow ("mi11")
            pat = re.compile(r"(?<![a-z])" + re.escape(alias).replace(r"\ ", r"\s?") + r"(?![a-z])")
            out.append((alias, rows[alias], pat))
        else:
            out.append((alias, rows[alias], None))
    return tuple(out)


def canonical_brand(name: str | None) -> str | None:
    """Canonical brand of a brand *field*: 'Xiaomi' / 'MI' / '米家' -> '小米'; unknown brands -> their
    compact folded form (so two spellings of an unknown brand still compare); empty -> None."""
    if not name:
        return None
    folded = _fold(name).replace("'", " ").strip()
    compact = _compact(folded)
    if not compact:
        return None
    for alias, canon, _pat in _alias_table():
        if _compact(alias) == compact:
            return canon
    if not _is_ascii_word(compact):
        return compact
    return compact


def ambiguous_mention_ok(folded: str, end: int) -> bool:
    """Whether an ambiguous brand word ending at ``end`` of ``folded`` text is used as a brand:
    a model number or a product noun follows within ``_AMBIG_WINDOW`` characters."""
    after = folded[end:end + _AMBIG_WINDOW]
    # The noun has to follow closely ("小米充电宝", "苹果最新款手机"): further on it belongs to
    # another clause ("王者荣耀打一晚上，充电宝…" is the game, not the brand).
    return bool(re.match(r"[\s\-a-z]{0,8}\d", after)) or any(0 <= after.find(n) <= 3 for n in PRODUCT_NOUNS)


def _brands_in_folded(folded: str) -> set[str]:
    found: set[str] = set()
    for alias, canon, pat in _alias_table():
        if pat is not None:
            if pat.search(folded):
                found.add(canon)
        elif alias in folded:
            if alias in AMBIGUOUS_BRANDS:
                if not any(ambiguous_mention_ok(folded, m.end()) for m in re.finditer(re.escape(alias), folded)):
                    continue
            found.add(canon)
    return found


def brands_of(brand_field: str | None, title: str | None) -> set[str]:
    """Brand families named by a brand field (may be 'Xiaomi/小米') and detected in a title.

    Sub-brands add their parent (红米 -> {红米, 小米})."""
    out: set[str] = set()
    for part in re.split(r"[/|,，、&]", brand_field or ""):
        canon = canonical_brand(part)
        if canon:
            out.add(canon)
    if title:
        out |= _brands_in_folded(_fold(title).replace("'", " "))
    return out | {_PARENT[b] for b in out if b in _PARENT}


def brands_conflict(a: set[str], b: set[str]) -> bool:
    """True when both sides name a brand and no brand is shared (substring counts as shared so that
    '某某' and '某某旗舰店' in free-text brand fields do not conflict)."""
    if not a or not b or a & b:
        return False
    return not any(x in y or y in x for x in a for y in b)


# ------------------------------------------------------------------------------------------ noise
# Marketing phrases that say nothing about *which* product is sold.  Longest first.
NOISE_PHRASES: tuple[str, ...] = tuple(
    sorted(
        {
            "直播专享", "直播间专享", "直播间", "直播专属", "直播价", "主播推荐", "主播同款", "限时秒杀", "秒杀",
            "限时", "限量", "抢购", "包邮", "顺丰包邮", "顺丰", "官方旗舰店", "旗舰店", "官方正品", "官方",
            "正品保障", "正品", "现货速发", "现货", "速发", "当天发货", "今日发货", "特价", "特惠", "爆款",
            "新品", "新款", "热卖", "买一送一", "买1送1", "到手价", "福利", "福利价", "专享", "领券", "立减",
            "优惠", "折扣", "清仓", "首发", "品牌授权", "授权", "明星同款", "网红同款", "网红", "同款", "推荐",
            "赠品", "送赠品", "下单", "拍下", "拍一发二", "拍2件", "加赠", "好物", "必买", "神器", "热销",
            "补贴", "百亿补贴", "国补", "专柜", "旗舰", "厂家直销", "工厂直发", "不好用包退", "假一赔十",
            "七天无理由", "7天无理由", "无理由退换",
        },
        key=lambda p: (-len(p), p),
    )
)
_NOISE_RE = re.compile("|".join(re.escape(p) for p in NOISE_PHRASES))


def _rewrite_brands(folded: str) -> str:
    """Every brand alias -> its canonical name, space-separated from its neighbours."""
    for alias, canon, pat in _alias_table():
        if alias == canon:
            continue
        if pat is not None:
            folded = pat.sub(f" {canon} ", folded)
        elif alias in folded:
            folded = folded.replace(alias, f" {canon} ")
    return folded


def normalise_text(text: str | None, *, canonical_brands: bool = True) -> str:
    """Folded text with marketing noise removed, brand aliases rewritten to the canonical brand and
    anything that is not a letter/digit turned into a single space."""
    folded = _fold(text or "").replace("'", " ")
    folded = _NOISE_RE.sub(" ", folded)
    folded = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in folded)
    folded = " ".join(folded.split())
    if canonical_brands:
        folded = _rewrite_brands(folded)
        folded = " ".join(folded.split())
    return folded


# ---------------------------------------------------------------------------------- model numbers
_UNIT_ASCII = (
    "ml|l|g|kg|mg|w|kw|mah|ah|v|hz|gb|tb|mb|cm|mm|m|km|inch|in|pcs|pc|p|k|t|x|ch|mp|nm|lm|db|h|min|s"
)
_UNIT_TOKEN = re.compile(rf"^\d+(?:\.\d+)?(?:{_UNIT_ASCII})$")
_CJK_UNITS = set("件个只支瓶盒包袋片斤克千升毫米寸匹代年月日天期人份罐桶套双条张层档色款号码度瓦安节粒枚台部头位斤串根卷对组箱听杯")
_GENERIC = {"5g", "4g", "3g", "3c", "4k", "8k", "2k", "3d", "2in1", "3in1", "4in1", "wifi6", "wifi7", "usb3",
            "ps5", "a4", "a5", "n95", "kn95", "ip68", "ip67", "bt5"}
_STORAGE = re.compile(r"\d+\s*(?:g|gb)?\s*\+\s*\d+\s*(?:g|gb|t|tb)?(?![a-z])")
_MULTIPLIER = re.compile(r"[*×]\s*\d+")
_MODEL_KEY = re.compile(r"[a-z]*\d+(?:[a-z]+\d+)*")
# quantities are dropped before "letters<space>digits" are glued, so "max 256gb" never becomes a model
_QTY = re.compile(
    rf"(?<![a-z0-9.])\d+(?:\.\d+)?(?:(?:{_UNIT_ASCII})(?![a-z])|\s*(?:ml|kg|mah|gb|tb|cm|mm|inch|pcs)(?![a-z])"
    rf"|\s*[{''.join(sorted(_CJK_UNITS))}])"
)


def model_numbers(text: str | None) -> set[str]:
    """Model-number keys named in ``text``.

    A key is letters-digits(-letters-digits)* with hyphens removed and trailing letter suffixes
    dropped (``MB-FB40S701`` -> ``mbfb40s701``, ``Note 13 Pro`` -> ``note13``, ``X20+`` -> ``x20``);
    a bare number counts only when it is not a quantity (3件, 750g, 1.5匹, 8+256GB, *12), not a year
    (19xx/20xx) and not a generic tech token (5G, 4K, 3C)."""
    s = _rewrite_brands(_fold(text or "").replace("'", " "))  # "xiaomi14" -> " 小米 14"
    s = _STORAGE.sub(" ", s)
    s = _MULTIPLIER.sub(" ", s)
    s = re.sub(r"(?<![a-z0-9])(?:" + "|".join(sorted(_GENERIC, key=len, reverse=True)) + r")(?![a-z0-9])",
               " ", s)
    s = re.sub(r"(?<=[a-z0-9])[-_/](?=[a-z0-9])", "", s)
    s = _QTY.sub(" ", s)
    s = re.sub(r"(?<![a-z0-9])([a-z]+)\s+(?=\d)", r"\1", s)  # "pro 3" -> "pro3", "x 200" -> "x200"
    out: set[str] = set()
    for m in re.finditer(r"[a-z0-9]+(?:\.\d+)?", s):
        run = m.group()
        if not any(c.isdigit() for c in run) or _UNIT_TOKEN.match(run):
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", run):
            nxt = s[m.end(): m.end() + 1]
            if "." in run or nxt in _CJK_UNITS or (len(run) == 4 and run[:2] in ("19", "20")):
                continue
            if len(run) > 8:  # barcodes / SKU ids are not model numbers people speak
                continue
        key = _MODEL_KEY.search(run)
        if key and key.group() not in _GENERIC:
            out.add(key.group())
    return out


def _digits(key: str) -> str:
    return "".join(c for c in key if c.isdigit())


def models_compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """False only when both sides name model numbers and none of them agree.

    Two keys agree when equal, when one is a bare number equal to the other's digits
    (``15`` vs ``iphone15``, ``60`` vs ``mate60``), or when one (3+ chars, letters and digits) is
    a suffix of the other (``1000xm5`` vs ``wh1000xm5``, ``d08`` vs ``dj13bd08``).  One side without a model number never vetoes:
    declarations are often terse."""
    a, b = set(a), set(b)
    if not a or not b:
        return True
    return any(_keys_agree(x, y) for x in a for y in b)


def _keys_agree(x: str, y: str) -> bool:
    if x == y:
        return True
    if x.isdigit() or y.isdigit():
        return _digits(x) == _digits(y)
    # an abbreviated model is a suffix of the full one: 1000xm5 / wh1000xm5, d08 / dj13bd08,
    # pro3 / freebudspro3 - it must carry a letter and a digit and 3+ chars to count
    short, long_ = sorted((x, y), key=len)
    return len(short) >= 3 and long_.endswith(short) and any(c.isalpha() for c in short)


# -------------------------------------------------------------------------------------- categories
# canonical category -> synonyms; group = wider family used to tell "same kind of thing".
CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "玩具": ("玩具", ("玩具", "儿童玩具", "益智玩具", "积木", "拼装玩具", "模型玩具", "毛绒玩具", "电动玩具", "toys", "toy")),
    "家用电器": ("家电", ("家用电器", "家电", "大家电", "厨卫电器", "厨卫大电", "空调", "冰箱", "洗衣机", "电视")),
    "小家电": ("家电", ("小家电", "厨房电器", "厨房小电", "生活电器", "个护电器", "个人护理电器", "清洁电器")),
    "手机": ("数码", ("手机", "智能手机", "手机通讯", "5g手机", "mobile", "phone")),
    "数码": ("数码", ("数码", "数码配件", "3c数码", "3c", "电脑", "笔记本", "笔记本电脑", "平板", "耳机", "音箱",
                     "智能穿戴", "手机配件", "电脑办公", "影音", "充电宝", "移动电源")),
    "电动自行车": ("出行", ("电动自行车", "电动车", "电瓶车", "两轮电动车", "e-bike", "ebike")),
    "插座": ("电工照明", ("插座", "插线板", "排插", "转换插头", "开关插座", "电工", "电工电料", "开关")),
    "灯具": ("电工照明", ("灯具", "照明", "灯", "台灯", "吸顶灯", "led灯", "灯饰")),
    "食品": ("食品", ("食品", "零食", "休闲食品", "乳品", "牛奶", "乳制品", "生鲜", "坚果", "饮料", "酒水", "粮油",
                     "食品饮料", "肉脯")),
    "化妆品": ("美妆", ("化妆品", "美妆", "护肤", "护肤品", "彩妆", "美容护肤", "香水", "个护", "个护美妆", "面膜")),
    "服装": ("服饰", ("服装", "服饰", "女装", "男装", "童装", "内衣", "鞋", "运动鞋", "鞋靴", "运动户外", "箱包")),
    "母婴": ("母婴", ("母婴", "婴童用品", "母婴用品", "奶瓶", "童车", "婴儿推车", "儿童安全座椅", "安全座椅")),
    "汽车用品": ("汽车", ("汽车用品", "汽车配件", "车品", "汽车零部件", "机动车零部件")),
}
_CAT_LOOKUP: dict[str, str] = {}
for _canon, (_group, _syns) in CATEGORIES.items():
    for _syn in (_canon, *_syns):
        _CAT_LOOKUP.setdefault(_compact(_fold(_syn)), _canon)


def canonical_category(category: str | None) -> str | None:
    """Canonical category for a free-text card category ('厨房电器' -> '小家电', '電動車' -> '电动自行车');
    unknown categories come back folded and compacted (so they still key a table); empty -> None."""
    if not category:
        return None
    key = _compact(_fold(category))
    if not key:
        return None
    if key in _CAT_LOOKUP:
        return _CAT_LOOKUP[key]
    # "家用电器/厨房电器" style paths: the most specific (last) known part wins
    for part in reversed(re.split(r"[/>|｜,，、\s]+", _fold(category))):
        if _compact(part) in _CAT_LOOKUP:
            return _CAT_LOOKUP[_compact(part)]
    return key


def category_group(category: str | None) -> str | None:
    canon = canonical_category(category)
    if canon is None:
        return None
    return CATEGORIES[canon][0] if canon in CATEGORIES else canon


def categories_conflict(a: str | None, b: str | None) -> bool:
    """Both categories known (in :data:`CATEGORIES`) and of different groups."""
    ca, cb = canonical_category(a), canonical_category(b)
    if ca not in CATEGORIES or cb not in CATEGORIES:
        return False
    return CATEGORIES[ca][0] != CATEGORIES[cb][0]


# ------------------------------------------------------------------------------------------ scorers
def product_text(item: Mapping[str, object]) -> str:
    """Normalised text of a card or declared product: canonical brand (if not already in the title)
    followed by the title."""
    return _product_text(str(item.get("title") or ""), str(item.get("brand") or ""))


@lru_cache(maxsize=65536)
def _product_text(title: str, brand: str) -> str:
    text = normalise_text(title)
    canon = canonical_brand(brand) if brand else None
    if canon and canon not in text:
        return f"{canon} {text}".strip()
    return text


# the per-string work is cached: a declared list is matched against every card of a session
@lru_cache(maxsize=65536)
def _brands_cached(brand: str, title: str) -> frozenset[str]:
    return frozenset(brands_of(brand or None, title))


@lru_cache(maxsize=65536)
def _models_cached(title: str) -> frozenset[str]:
    return frozenset(model_numbers(title))


@lru_cache(maxsize=65536)
def _joined_tokens(text: str) -> str:
    return " ".join(tokens(text))


_JIEBA_READY = False


def tokens(text: str) -> list[str]:
    """jieba words of already-normalised text (single spaces dropped)."""
    global _JIEBA_READY
    import jieba

    if not _JIEBA_READY:
        jieba.setLogLevel(60)
        _JIEBA_READY = True
    return [t for t in jieba.lcut(text) if t.strip()]


def score_token_set(a: str, b: str) -> float:
    """rapidfuzz token_set_ratio over jieba tokens of normalised texts, in [0, 1]."""
    return fuzz.token_set_ratio(_joined_tokens(a), _joined_tokens(b)) / 100.0


def score_wratio(a: str, b: str) -> float:
    """rapidfuzz WRatio over normalised texts, in [0, 1]."""
    return fuzz.WRatio(a, b) / 100.0


class TfidfScorer:
    """Cosine of TF-IDF vectors over character 1-3-grams (``char_wb``).

    Hashing keeps it vocabulary-free: n-grams never seen while fitting the IDF get the maximum
    IDF instead of being dropped, so a brand-new product word still counts."""

    def __init__(self, corpus: Iterable[str] = (), ngram_range: tuple[int, int] = (1, 3)) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        self._vec = HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range, n_features=2**18,
                                      alternate_sign=False, norm=None, lowercase=False)
        docs = list(corpus) or [""]
        self._tfidf = TfidfTransformer(sublinear_tf=True).fit(self._vec.transform(docs))

    def vectors(self, texts: list[str]):  # -> scipy sparse, rows L2-normalised
        return self._tfidf.transform(self._vec.transform(texts))

    def score(self, a: str, b: str) -> float:
        m = self.vectors([a, b])
        return float(m[0].multiply(m[1]).sum())

    def score_many(self, a: str, bs: list[str]) -> list[float]:
        if not bs:
            return []
        m = self.vectors([a, *bs])
        sims = (m[1:] @ m[0].T).toarray().ravel()
        return [float(x) for x in sims]


def pair_features(card: Mapping[str, object], declared: Mapping[str, object]) -> dict[str, object]:
    """Everything the combined matcher needs about one card/declaration pair, except TF-IDF."""
    ct, dt = product_text(card), product_text(declared)
    cb = _brands_cached(str(card.get("brand") or ""), str(card.get("title") or ""))
    db = _brands_cached(str(declared.get("brand") or ""), str(declared.get("title") or ""))
    cm = _models_cached(str(card.get("title") or ""))
    dm = _models_cached(str(declared.get("title") or ""))
    return {
        "card_text": ct,
        "declared_text": dt,
        "token_set": score_token_set(ct, dt),
        "brand_conflict": brands_conflict(cb, db),
        "model_conflict": not models_compatible(cm, dm),
        "model_agree": bool(cm and dm) and models_compatible(cm, dm),
        "category_conflict": categories_conflict(card.get("category"), declared.get("category")),  # type: ignore[arg-type]
    }


MODEL_BONUS = 0.4


def combine(tfidf: float, token_set: float, *, category_conflict: bool, model_agree: bool = False) -> float:
    """The shipped blend: mean of TF-IDF cosine and token-set ratio; when both sides name model
    numbers and they agree, the score moves ``MODEL_BONUS`` of the way to 1 (a shared model number is
    strong evidence that text overlap misses, e.g. 'lego 42115 Lamborghini' vs '乐高 42115 兰博基尼');
    a category-group conflict costs 20 % (shop-chosen categories are noisy, so it is no veto)."""
    score = 0.5 * tfidf + 0.5 * token_set
    if model_agree:
        score += MODEL_BONUS * (1.0 - score)
    if category_conflict:
        score *= 0.8
    return max(0.0, min(1.0, score))


def veto_reason(features: Mapping[str, object]) -> str | None:
    if features.get("model_conflict"):
        return "model_number_mismatch"
    if features.get("brand_conflict"):
        return "brand_mismatch"
    return None


__all__ = [
    "AMBIGUOUS_BRANDS", "BRANDS", "CATEGORIES", "MODEL_BONUS", "NOISE_PHRASES", "TfidfScorer", "brands_conflict", "brands_of", "canonical_brand",
    "canonical_category", "categories_conflict", "category_group", "combine", "model_numbers",
    "models_compatible", "normalise_text", "pair_features", "product_text", "score_token_set", "score_wratio",
    "tokens", "veto_reason",
]
