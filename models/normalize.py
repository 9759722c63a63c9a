"""Text normalisation for matching, with an offset map back to the original text.

Evasions seen in livestream transcripts and chat (最*好, 蕞低价, zui好, 全網最低, 第1, 最最最好) are folded
onto the plain form before matching.  Every normalised character remembers the half-open span of original
characters it came from, so a match on the normalised text maps to the exact original span.

Fast path: one C-level regex scan of the original text (the "gate") finds anything any later step
could change; most segments match nothing and are returned as they are.  Otherwise one ``str.translate``
with a precomputed 1:1 table (full-width, ASCII case, traditional to simplified per character,
unconditional look-alikes).  Only text that needs a length-changing step (separators between characters,
pinyin, repeated characters, contextual homophones, 第+digit) takes the slower per-character path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import opencc

# Clause boundaries survive normalisation (，！？；： are kept as they are: folding them would force a
# translate() on nearly every segment).
BOUNDARY = ",!?;:。、…\n，！？；："
CLAUSE_BOUNDARY = frozenset(BOUNDARY)
SENTENCE_BOUNDARY = frozenset("!?;。…\n！？；")

# Rare characters used only as look-alikes of claim characters: always folded.
_LOOKALIKE = {"蕞": "最", "嘬": "最", "朂": "最", "冣": "最", "苐": "第", "笫": "第", "惟": "唯", "巔": "巅"}
# Common characters folded only in front of a typical continuation (弟一 but not 弟弟).
_CONTEXT_HOMOPHONE: dict[str, tuple[str, str]] = {
    "弟": ("第", "一二三1123"),
    "醉": ("最", "低高好佳优强便棒有稳美实划省安靠专正"),
    "罪": ("最", "低高好佳优强便棒有稳美实划省安靠专正"),
    "决": ("绝", "对"),
    "鼎": ("顶", "级"),
}
# Repetition of these is emphasis/evasion (最最最好), never a word of its own.
_COLLAPSE = frozenset("最第顶唯极首")
_DIGIT_CN = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))

# Pinyin written in Latin letters next to characters.  Whole words first, then single syllables; a
# Latin run is rewritten only if it segments completely, so English words are left alone.
_PINYIN_WORDS = {
    "zuihao": "最好", "zuidi": "最低", "zuigao": "最高", "zuijia": "最佳", "zuiqiang": "最强",
    "zuipianyi": "最便宜", "zuidijia": "最低价", "diyi": "第一", "weiyi": "唯一", "dingji": "顶级",
    "quanwang": "全网", "baoguo": "包过", "baoben": "保本", "wenzhuan": "稳赚", "guojia": "国家",
    "tegong": "特供", "genzhi": "根治", "zhiliao": "治疗", "pianyi": "便宜", "guoyan": "国宴",
    "jiage": "价格", "dijia": "低价",
}
_PINYIN_SYLLABLES = {
    "zui": "最", "hao": "好", "di": "低", "gao": "高", "jia": "价", "wei": "唯", "yi": "一", "ding": "顶",
    "ji": "级", "quan": "全", "wang": "网", "qiang": "强", "bian": "便", "pian": "便",
    "bu": "不",  # bu包过, bu 能治病: a negation spelled out is still a negation
}
_PINYIN_KEYS = sorted({**_PINYIN_WORDS, **_PINYIN_SYLLABLES}, key=len, reverse=True)
_LATIN = re.compile("[a-z]")
_LATIN_RUN = re.compile("[a-z]+")
# Letters typed one by one with a separator between them (z u i 好, b.a.o过): joined if they spell pinyin.
_SPACED_LETTERS = re.compile(r"(?<![a-z])[a-z](?:[ .·\-_*~|][a-z]){1,7}(?![a-z])")
# Whole syllables with a space between them (zhao cai 猫): joined if every one is a syllable of a claim character.
_SPACED_SYLLABLES = re.compile(r"(?<![a-z])[a-z]{1,6}(?: [a-z]{1,6}){1,3}(?![a-z])")
_NUMERAL_NEXT = frozenset("一二三四五六七八九十0123456789")


CLAIM_PINYIN_PATH = Path(__file__).parent / "data" / "claim_pinyin.json"


def build_claim_pinyin(lexicon_path: Path | None = None) -> dict[str, object]:
    """The table behind pinyin evasions beyond the fixed ones (bao过, wen赚, zhao财, 镇zhai), from the
    lexicon's patterns, near-words and cue words: syllable -> characters (most frequent first) and every
    character bigram in those words.  Shipped as data/claim_pinyin.json (pypinyin's dictionary costs
    ~50 MB of RSS, the table a few KB); rebuild with ``python -m models.normalize`` after editing the
    lexicon (a test fails while it is stale)."""
    from collections import Counter

    import yaml
    from pypinyin import Style, pinyin

    path = lexicon_path or Path(__file__).parent / "data" / "lexicon.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    patterns: list[str] = []
    near: list[str] = []
    for e in data.get("entries") or []:
        pats = e.get("pattern")
        patterns += [pats] if isinstance(pats, str) else list(pats or [])
        near += list(e.get("near") or [])
    words: list[str] = list(data.get("cues") or []) + patterns + near
    freq: Counter[str] = Counter()
    bigrams: set[str] = set()
    for w in words:
        w = w.translate(_tables()[0])
        freq.update(c for c in w if _is_cjk(c))
        bigrams.update(a + b for a, b in zip(w, w[1:], strict=False) if _is_cjk(a) and _is_cjk(b))
    by_syl: dict[str, str] = {}
    for ch, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])):
        for reading in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]:
            syl = reading.replace("ü", "v")
            by_syl[syl] = by_syl.get(syl, "") + ch
    # Claim words by their pinyin initials (国家级 gjj), entry patterns first: for initials written in Latin
    # letters (gj级, qwzd价).
    initials: dict[str, str] = {}
    for w in dict.fromkeys(patterns + near):
        w = w.translate(_tables()[0])
        if 2 <= len(w) <= 6 and all(_is_cjk(c) for c in w):
            initials.setdefault(w, "".join(r[0][0] for r in pinyin(w, style=Style.NORMAL)))
    return {"syllables": dict(sorted(by_syl.items())), "bigrams": sorted(bigrams), "initials": initials}


@lru_cache(maxsize=1)
def _claim_table() -> dict[str, Any]:
    """The shipped table (data/claim_pinyin.json), read once."""
    import json

    return json.loads(CLAIM_PINYIN_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _claim_pinyin() -> tuple[dict[str, str], frozenset[str], tuple[str, ...]]:
    """(syllable -> candidate characters, lexicon bigrams, syllables longest first), from the shipped table.
    A syllable is rewritten only to a character that forms one of those bigrams with its neighbour, so
    ordinary Latin (ok, mini, lv) is left alone.  Run-time lexicon updates do not extend it."""
    data = _claim_table()
    by_syl: dict[str, str] = dict(data["syllables"])
    # Front and back nasals typed interchangeably (lin导 for 领导, jin品 for 精品; many speakers do not tell -n from
    # -ng): each spelling also stands for the other's characters, after its own.
    for syl, chars in data["syllables"].items():
        other = syl[:-1] if syl.endswith("ng") else syl + "g" if syl.endswith("n") else None
        if other is not None:
            by_syl[other] = by_syl.get(other, "") + "".join(c for c in chars if c not in by_syl.get(other, ""))
    return by_syl, frozenset(data["bigrams"]), tuple(sorted(by_syl, key=len, reverse=True))


@lru_cache(maxsize=1)
def _claim_syllables_re() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(_claim_pinyin()[2]) + ")+")


def _claim_syllables(run: str) -> list[str] | None:
    """``run`` split into syllables of claim characters (longest first, with backtracking), or None."""
    if len(run) > 16 or _claim_syllables_re().fullmatch(run) is None:
        return None  # one C-level check first: most Latin runs (ok, s码, vip) are not claim pinyin
    _, _, syls = _claim_pinyin()

    def split(i: int) -> list[str] | None:
        if i == len(run):
            return []
        for syl in syls:
            if run.startswith(syl, i):
                rest = split(i + len(syl))
                if rest is not None:
                    return [syl, *rest]
        return None

    return split(0) if len(run) <= 16 else None


_MAX_INITIALS = 4  # longest run of letters read as initials (qwzd)
_D_FIRST = re.compile("(?<![a-z])d[1一]")  # d1: 第一 by its initial


@lru_cache(maxsize=1)
def _claim_initials() -> dict[str, tuple[tuple[str, str], ...]]:
    """Initials of a word's first k characters (k <= _MAX_INITIALS) -> (those characters, the rest of the word)
    for each lexicon word, entry patterns first."""
    out: dict[str, list[tuple[str, str]]] = {}
    for word, ini in _claim_table()["initials"].items():
        for k in range(1, min(_MAX_INITIALS, len(word) - 1) + 1):
            out.setdefault(ini[:k], []).append((word[:k], word[k:]))
    return {key: tuple(v) for key, v in out.items()}


def _initials_word(run: str, following: str) -> str | None:
    """The characters that the Latin initials ``run`` stand for, when the text right after it completes a
    lexicon word (gj + 级 -> 国家级, qwzd + 价 -> 全网最低价): the longest completion wins, then the first word
    (entry patterns come first)."""
    best: tuple[int, str] | None = None
    for chars, rest in _claim_initials().get(run, ()):
        if following.startswith(rest) and (best is None or len(rest) > best[0]):
            best = (len(rest), chars)
    return None if best is None else best[1]


def _claim_chars(parts: list[str], prev_c: str, next_c: str) -> str | None:
    """Characters for the syllables ``parts`` between ``prev_c`` and ``next_c``: each syllable takes the
    first candidate making a lexicon bigram with a neighbour (the already chosen one on the left, the
    next syllable's candidates or ``next_c`` on the right).  None unless every syllable finds one."""
    by_syl, bigrams, _ = _claim_pinyin()
    out = ""
    for k, syl in enumerate(parts):
        left = out[-1] if out else prev_c
        right = by_syl[parts[k + 1]] if k + 1 < len(parts) else (next_c,)
        for ch in by_syl[syl]:
            if (left and left + ch in bigrams) or any(r and ch + r in bigrams for r in right):
                out += ch
                break
        else:
            return None
    return out


SENTENCE_END_RE = re.compile("[" + re.escape("".join(sorted(SENTENCE_BOUNDARY))) + "]")
_LAST_SENTENCE_END = re.compile(".*[" + re.escape("".join(sorted(SENTENCE_BOUNDARY))) + "]", re.S)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[a, b): the sentence holding [start, end) (SENTENCE_BOUNDARY characters end sentences)."""
    m = _LAST_SENTENCE_END.match(text, 0, start) if start > 0 else None
    m2 = SENTENCE_END_RE.search(text, end)
    return (m.end() if m else 0), (m2.start() if m2 else len(text))


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


@lru_cache(maxsize=1)
def _t2s_converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _tables() -> tuple[
    dict[int, str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], frozenset[str],
    re.Pattern[str], re.Pattern[str], re.Pattern[str],
]:
    """(translate table, needs-table regex, traditional regex, special-char regex, pair regex, separators,
    gate regex: no match on the original text means normalisation is the identity, special-char regex
    without Latin letters, special-char regex without the space)."""
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII, except the clause punctuation kept as is
        if chr(cp) not in BOUNDARY:
            table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for cp in range(0xFF21, 0xFF3B):
        table[cp] = chr(cp - 0xFEE0 + 32)
    # Pinyin written with tone marks (tè供, zuì好) -> bare letters, ü -> v as typed; one char for one, so
    # spans still map back.
    for cp in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(cp))[0].lower()
        if base.isascii() and base.isalpha() and base != chr(cp):
            table[cp] = "v" if base == "u" and "\u0308" in unicodedata.normalize("NFD", chr(cp)) else base
    # Per-character traditional -> simplified; opencc's phrase-level conversion is used on top of it only
    # when a segment actually contains traditional characters (see normalize()).
    conv = _t2s_converter()
    chars = [chr(i) for i in range(0x4E00, 0xA000)] + [chr(i) for i in range(0xF900, 0xFB00)]
    out = conv.convert("\n".join(chars)).split("\n")
    trad = set()
    if len(out) == len(chars):
        for a, b in zip(chars, out, strict=True):
            if a != b and len(b) == 1:
                table[ord(a)] = b
                trad.add(a)
    for i in range(9):  # circled / parenthesised digits: 第① -> 第1 -> 第一
        for base_cp in (0x2460, 0x2474, 0x2488, 0x2776, 0x2780, 0x278A):
            table[base_cp + i] = str(i + 1)
    for a, b in _LOOKALIKE.items():
        table[ord(a)] = b
    # Separators: whitespace, symbols, emoji and punctuation other than clause boundaries.
    seps = set()
    for cp in list(range(0x20, 0x80)) + list(range(0x2000, 0x2C00)) + list(range(0x3000, 0x3040)) + list(
        range(0xFE30, 0xFE70)
    ):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch in BOUNDARY:
            continue
        if cat[0] in "PSZC" or ch.isspace():
            seps.add(ch)
    seps.update("\u200b\u200c\u200d\ufe0f\u00b7\u00a0")
    # Character-class regexes are scanned in C; most segments match none of them and skip all work.
    def cls(chars: Iterable[str]) -> str:
        return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"

    needs_table = re.compile(cls(chr(k) for k in table))
    trad_re = re.compile(cls(trad)) if trad else re.compile(r"(?!)")
    emoji = "\U0001F000-\U0001FAFF\u2600-\u27BF"
    special_chars = set(seps) | set("abcdefghijklmnopqrstuvwxyz") | set(_CONTEXT_HOMOPHONE)
    special = re.compile(cls(special_chars)[:-1] + emoji + "]")
    # The same without Latin letters: text whose only special characters are Latin runs that are not
    # pinyin (S码, XL, ok) needs no per-character work either.
    special_not_latin = re.compile(cls(set(seps) | set(_CONTEXT_HOMOPHONE))[:-1] + emoji + "]")
    # Two emphasis characters in a row, or 第 + digit.  Written to start with a character class (not an
    # alternation) so the regex engine scans for candidates in C: ~4x faster than "[..]{2}|第[0-9]".
    coll = "".join(sorted(_COLLAPSE))
    pairs = re.compile(f"[{coll}](?:(?<=[第唯])[0-9]|[{coll}])")
    # One scan of the ORIGINAL text that finds anything the three checks in normalize() would find: a
    # table character (then the translated text differs), a special character, or a pair.  No match (most
    # segments): the text is already normal.
    x = cls(set(map(chr, table)) | special_chars)[:-1] + emoji + "]"
    gate = re.compile(f"[{coll}{x[1:]}(?:(?<={x})|(?<=[第唯])[0-9]|(?<=[{coll}])[{coll}])")
    # Special characters other than the ASCII space: transcripts put spaces between clauses, and a text whose only
    # special characters are spaces takes _drop_spaces instead of _slow.
    special_not_space = re.compile(cls(special_chars - {" "})[:-1] + emoji + "]")
    return table, needs_table, trad_re, special, pairs, frozenset(seps), gate, special_not_latin, special_not_space


class Normalized(NamedTuple):
    """Normalised text plus, per normalised char, the original [start, end) it came from.  (A NamedTuple
    rather than a frozen dataclass: built once per segment, and a tuple is ~3x cheaper to create.)"""

    original: str
    text: str
    starts: tuple[int, ...] | None  # None: identity map (fast path, same length)
    ends: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised half-open span to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


_EMOJI_RE = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")  # what _is_sep adds to ``seps``


def _is_sep(ch: str, seps: frozenset[str]) -> bool:
    if ch in seps:
        return True
    o = ord(ch)
    return 0x1F000 <= o <= 0x1FAFF or 0x2600 <= o <= 0x27BF or o == 0xFE0F


def _segment_pinyin(run: str) -> list[str] | None:
    out: list[str] = []
    i = 0
    while i < len(run):
        for key in _PINYIN_KEYS:
            if run.startswith(key, i):
                out.append(key)
                i += len(key)
                break
        else:
            return None
    return out


_SPACE_RUN = re.compile(" +")


def _drop_spaces(original: str, base: str, pairs: re.Pattern[str]) -> Normalized | None:
    """What _slow does to a text whose only special characters are ASCII spaces: a run of spaces touching a CJK
    character is dropped (最 好 -> 最好; every other step finds nothing to do).  None when dropping them makes a pair
    a later step of _slow handles (第 1, 最 最).  About 10x cheaper than _slow on such text."""
    spans: list[tuple[int, int]] = []
    kept_from = 0
    n = len(base)
    for m in _SPACE_RUN.finditer(base):
        a, b = m.span()
        if (a > 0 and _is_cjk(base[a - 1])) or (b < n and _is_cjk(base[b])):
            spans.append((kept_from, a))
            kept_from = b
    if not spans:
        return Normalized(original, base, None, None)
    spans.append((kept_from, n))
    text = "".join([base[a:b] for a, b in spans])
    if pairs.search(text) is not None:
        return None
    starts = tuple(chain.from_iterable(range(a, b) for a, b in spans))
    return Normalized(original, text, starts, tuple(i + 1 for i in starts))


def _slow(original: str, base: str, seps: frozenset[str]) -> Normalized:
    # Work on (char, orig_start, orig_end) triples; base is 1:1 with original.
    toks: list[list] = [[c, i, i + 1] for i, c in enumerate(base)]

    # 0. letters spelled out one by one (z u i): drop the separators between them when they spell pinyin.
    if _LATIN.search(base) is not None:
        drop = set()
        for m in _SPACED_LETTERS.finditer(base):
            letters = m.group()[0::2]
            if _claim_syllables(letters) is not None or _segment_pinyin(letters) is not None:
                drop.update(range(m.start() + 1, m.end(), 2))
        if " " in base:
            syllables = _claim_pinyin()[0]
            for m in _SPACED_SYLLABLES.finditer(base):
                if all(w in syllables for w in m.group().split(" ")):
                    drop.update(i for i in range(m.start(), m.end()) if base[i] == " ")
        if drop:
            toks = [t for k, t in enumerate(toks) if k not in drop]
            base = "".join(t[0] for t in toks)

    # 1. separators: drop runs of separator chars that touch a CJK character (最*好, 最 好, 最~好).
    out: list[list] = []
    n = len(toks)
    i = 0
    if seps.isdisjoint(base) and _EMOJI_RE.search(base) is None:
        n = 0  # nothing to drop: skip the scan
        out = toks
    while i < n:
        if _is_sep(toks[i][0], seps):
            j = i
            while j < n and _is_sep(toks[j][0], seps):
                j += 1
            prev_c = out[-1][0] if out else ""
            next_c = toks[j][0] if j < n else ""
            if ((prev_c and _is_cjk(prev_c)) or (next_c and _is_cjk(next_c))) and not (
                j == i + 1 and toks[i][0] == "%" and prev_c.isdigit()
            ):  # (100%除螨: a percent sign is part of its number, not a separator)
                i = j
                continue
            out.extend(toks[i:j])
            i = j
            continue
        out.append(toks[i])
        i += 1
    toks = out

    # 2. pinyin: Latin runs fully made of known syllables, next to a CJK char or digit.
    out = []
    i = 0
    n = len(toks)
    if _LATIN.search(base) is None:
        n = 0
        out = toks
    while i < n:
        c = toks[i][0]
        if "a" <= c <= "z":
            j = i
            while j < n and "a" <= toks[j][0] <= "z":
                j += 1
            run = "".join(t[0] for t in toks[i:j])
            prev_c = out[-1][0] if out else ""
            next_c = toks[j][0] if j < n else ""
            adjacent = (prev_c and (_is_cjk(prev_c) or prev_c.isdigit())) or (
                next_c and (_is_cjk(next_c) or next_c.isdigit())
            )
            # Claim characters chosen by their neighbours first (yi生 -> 医生, bao过 -> 保过), then the fixed
            # tables (zuihao, di1).
            syls = _claim_syllables(run) if adjacent else None
            generic = _claim_chars(syls, prev_c, next_c) if syls else None
            parts = _segment_pinyin(run) if adjacent and len(run) <= 16 and generic is None else None
            if generic is None and parts is None and adjacent and len(run) <= _MAX_INITIALS:
                if run == "d" and next_c in ("1", "一"):
                    generic, syls = "第", ["d"]  # d1, d一: 第一 by its initial (not 维生素d3)
                elif len(run) >= 2:  # one letter is too often a word of its own (c位, d级, t恤)
                    # Initials (gj级 -> 国家级, qwzd价 -> 全网最低价): only where the next characters complete a
                    # lexicon word, so abbreviations (app, dha, xl码) are left alone.
                    generic = _initials_word(run, "".join(t[0] for t in toks[j : j + 6]))
                    syls = list(run) if generic is not None else syls
            if generic is not None:
                pos = i
                for syl, ch in zip(syls, generic, strict=True):  # one character per syllable, own span
                    out.append([ch, toks[pos][1], toks[pos + len(syl) - 1][2]])
                    pos += len(syl)
            elif parts is None:
                out.extend(toks[i:j])
            else:
                pos = i
                for k, part in enumerate(parts):
                    span_s, span_e = toks[pos][1], toks[pos + len(part) - 1][2]
                    pos += len(part)
                    if part in _PINYIN_WORDS:
                        chars = _PINYIN_WORDS[part]
                    else:
                        chars = _PINYIN_SYLLABLES[part]
                        following = parts[k + 1] if k + 1 < len(parts) else next_c
                        if part == "di" and (following[:1] in _NUMERAL_NEXT or following == "yi"):
                            chars = "第"
                        elif part == "jia" and out and out[-1][0] == "最":
                            chars = "佳"
                    if len(chars) == 1:
                        out.append([chars, span_s, span_e])
                    else:
                        # A multi-char word from one Latin run: all chars share the run's span.
                        out.extend([ch, span_s, span_e] for ch in chars)
            i = j
            continue
        out.append(toks[i])
        i += 1
    toks = out

    # 3. contextual homophones (弟一 -> 第一) and 第 + single digit -> Chinese numeral.
    n = len(toks)
    for i in range(n):
        c = toks[i][0]
        nxt = toks[i + 1][0] if i + 1 < n else ""
        rule = _CONTEXT_HOMOPHONE.get(c)
        if rule and nxt and nxt in rule[1]:
            toks[i][0] = rule[0]
        if c in "0123456789" and i > 0 and toks[i - 1][0] in "第唯" and not (nxt and nxt.isdigit()):
            toks[i][0] = _DIGIT_CN[c]

    # 4. collapse repeated emphasis characters (最最最好 -> 最好); the kept char covers the whole run.
    out = []
    for t in toks:
        if out and t[0] == out[-1][0] and t[0] in _COLLAPSE:
            out[-1][2] = t[2]
            continue
        out.append(t)
    toks = out

    return Normalized(
        original,
        "".join(t[0] for t in toks),
        tuple(t[1] for t in toks),
        tuple(t[2] for t in toks),
    )


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching; see the module docstring for the steps."""
    table, needs_table, trad_re, special, pairs, seps, gate, special_not_latin, special_not_space = _tables()
    if gate.search(text) is None:
        return Normalized(text, text, None, None)
    base = text
    if needs_table.search(text) is not None:
        base = text.translate(table)
        if trad_re.search(text) is not None:
            # Phrase-aware conversion (e.g. 乾燥 -> 干燥) when it keeps the length, else the char table.
            phrase = _t2s_converter().convert(text)
            if len(phrase) == len(text):
                base = phrase.translate(table)
    paired = pairs.search(base) is not None
    if not paired and (
        special.search(base) is None
        # Only Latin letters, none of them a run that could be pinyin: _slow would change nothing.
        or (
            special_not_latin.search(base) is None
            and not any(
                len(r) <= 16 and (_segment_pinyin(r) or _claim_syllables(r))
                or 2 <= len(r) <= _MAX_INITIALS and _initials_word(r, base[m.end() : m.end() + 6]) is not None
                for m in _LATIN_RUN.finditer(base)
                for r in (m.group(),)
            )
            and _D_FIRST.search(base) is None
        )
    ):
        return Normalized(text, base, None, None)
    if not paired and special_not_space.search(base) is None:
        spaced = _drop_spaces(text, base, pairs)
        if spaced is not None:
            return spaced
    return _slow(text, base, seps)


def normalize_pattern(pattern: str) -> str:
    """Lexicon patterns go through the same folding as the text they are matched against."""
    return normalize(pattern).text


if __name__ == "__main__":
    import json

    CLAIM_PINYIN_PATH.write_text(json.dumps(build_claim_pinyin(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {CLAIM_PINYIN_PATH}")
