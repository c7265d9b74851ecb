"""Text normalization and tokenization shared by aliases and documents.

Both sides of a comparison go through the same functions, so an alias written once in
topics.yaml matches every spelling that folds to it: NFKC, casefold, Latin diacritics and
Arabic tashkeel stripped, alef/hamza forms unified, ى->ي and ة->ه folded, tatweel and
zero-width/bidi controls removed (they are invisible, so a feed can hide them inside a name).
Tokens are whole words, so "Meta" can never match inside "metadata".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_FIELD_CHARS = 20_000  # longer titles/summaries are cut: matching cost stays bounded

# Invisible characters: zero-width, joiners, bidi embeddings/isolates, BOM, soft hyphen,
# Arabic tatweel. Deleted before tokenizing so "وان\u200cغ" is still one word.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x0640, 0x061C, 0x180E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
# Control characters other than whitespace become spaces (binary junk must not glue words).
_CONTROLS = {c: " " for c in range(0x20) if chr(c) not in "\t\n\r"} | {0x7F: " "}
_CLEAN = str.maketrans(_INVISIBLE | _CONTROLS)

# Letter folds applied after diacritics are gone (hamza carriers decompose under NFD).
_FOLD = str.maketrans(
    {
        "ٱ": "ا", "ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي", "ہ": "ه", "ۀ": "ه",
        "٪": "%", "’": "'",
    }
    | {chr(0x0660 + d): str(d) for d in range(10)}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
)

_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
# Words (letters, digits, marks; dotted acronyms like A.I. and U.S. as one word) | numbers with
# decimals and % | a word that starts with a stray mark. Letters first: it is the common case.
TOKEN_RE = re.compile(
    rf"[^\W\d_](?:(?:\.[^\W\d_])+\.|[\w{_MARKS}]*)|\d+(?:[.,]\d+)*[%٪]?|[{_MARKS}]+[\w{_MARKS}]*"
)
# The same, but an Arabic proclitic or article written onto a number ("بـ14.3", "الـ14.3") is split off, so the
# number stays whole ("14.3 مليار"). Used only for texts where one occurs (a cheap search first).
_PROCLITIC_NUMBER = re.compile(r"[وفبلك]\d")
_TOKEN_RE_AR_NUM = re.compile(rf"(?:[وفبلك]?ال|[وفبلك]{{1,2}})(?=\d)|{TOKEN_RE.pattern}")
# The same for all-ASCII text (most English items): with no marks or non-ASCII letters possible, plain
# ASCII classes cut exactly the same tokens about a quarter faster.
_TOKEN_RE_ASCII = re.compile(r"[A-Za-z](?:(?:\.[A-Za-z])+\.|[A-Za-z0-9_]*)|[0-9]+(?:[.,][0-9]+)*%?")
# ASCII characters that `clean` changes (controls other than whitespace): absent from most text.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Sentence ends: . ! ? ؟ ; ؛ before whitespace (not the last dot of "A.I."), or a newline.
_BREAK = re.compile(r"[.!?؟;؛\n]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Arabic proclitics (and, so, with, for, like, the, combinations). Text tokens are also tried
# without them, so "لميتا" and "والبنتاغون" meet the aliases "ميتا" and "بنتاغون".
_PROCLITICS = ("وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال", "وب", "ول", "فب", "فل",
               "وك", "و", "ف", "ب", "ل", "ك")
_IMPERFECT = "يتنا"  # prefixes of an imperfect verb (after alef folding), for the future particle س


def clean(text: str) -> str:
    """NFKC + drop invisible/control characters. Spans in evidence refer to this text."""
    text = text[:MAX_FIELD_CHARS]
    # NFKC and the table leave ASCII without controls as it is (isprintable: the usual one-line
    # field, without running the regex)
    if text.isascii() and (text.isprintable() or _ASCII_CONTROL.search(text) is None):
        return text
    return unicodedata.normalize("NFKC", text).translate(_CLEAN)


@lru_cache(maxsize=200_000)
def fold(token: str, case_sensitive: bool = False) -> str:
    """One token's comparison form: casefold, strip all combining marks, fold letters."""
    t = token if case_sensitive else token.casefold()
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))
        t = unicodedata.normalize("NFC", t).translate(_FOLD)
    if "." in t and not t[0].isdigit():  # "a.i." -> "ai"
        t = t.replace(".", "")
    return t


@lru_cache(maxsize=200_000)
def forms(folded: str) -> tuple[str, ...]:
    """The folded token plus its Arabic proclitic-stripped variants (at least 2 letters left)."""
    if not _ARABIC.match(folded):
        return (folded,)
    out = [folded]
    for p in _PROCLITICS:
        if folded.startswith(p) and len(folded) - len(p) >= 2 and folded[len(p):] not in out:
            out.append(folded[len(p):])
    # "لل" is the preposition ل on the article ال with its alef dropped: "للذكاء" is "ل" + "الذكاء", so the
    # article form is tried too (aliases may be written with the article, as "الذكاء الاصطناعي").
    for p in ("لل", "ولل", "فلل"):
        if folded.startswith(p) and len(folded) - len(p) >= 2 and "ال" + folded[len(p):] not in out:
            out.append("ال" + folded[len(p):])
    # The indefinite accusative writes an alef after the word ("رئيسا", "محتوى عنيفا"): also try it off.
    for f in list(out):
        if len(f) >= 4 and f[-1] == "ا" and f[-2] != "ا" and f[:-1] not in out:
            out.append(f[:-1])
    # The future particle س before an imperfect verb (سيغادر, وستوقف): also try the bare verb.
    # Only before ي ت ن ا, so names such as سكيل are never cut.
    for f in list(out):
        if len(f) >= 4 and f[0] == "س" and f[1] in _IMPERFECT and f[1:] not in out:
            out.append(f[1:])
    return tuple(out)


_FOLDED: dict[str, str] = {}  # token -> fold(token), for _fold_all
_FOLDED_MAX = 200_000


def _fold_all(tokens: list[str]) -> list[str]:
    """`fold` of each token through a plain dict: a text's words are nearly always known already,
    and a dict hit via map() costs about half an lru_cache hit. Cleared when full, like the
    alias index cache; a concurrent clear only sends a caller down the slow path."""
    try:
        return list(map(_FOLDED.__getitem__, tokens))
    except KeyError:
        if len(_FOLDED) > _FOLDED_MAX:
            _FOLDED.clear()
        norm = list(map(fold, tokens))
        _FOLDED.update(zip(tokens, norm, strict=True))
        return norm


def split_words(text: str, case_sensitive: bool = False) -> list[str]:
    """Folded tokens of a short string (an alias or keyword)."""
    return [fold(m.group(), case_sensitive) for m in TOKEN_RE.finditer(clean(text))]


@dataclass(slots=True)
class Doc:
    """A tokenized item: title then summary, with sentence ids; char offsets on demand."""

    text: str
    sentences: list[tuple[int, str]]  # (char offset in text, sentence text)
    tokens: list[str]  # as written (after clean)
    norm: list[str]  # folded
    sent: list[int]
    sent_bounds: list[tuple[int, int]]
    n_title: int
    _spans: list[tuple[int, int]] | None = None
    token_re: re.Pattern[str] = TOKEN_RE  # the pattern that cut `tokens`

    def span(self, start: int, end: int) -> str:
        """The text of tokens [start, end) as written; only evidence needs offsets."""
        if self._spans is None:
            self._spans = _offsets(self.text, self.tokens)
        return self.text[self._spans[start][0] : self._spans[end - 1][1]]

    def raw(self, i: int) -> str:
        return self.tokens[i]


def _offsets(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each token sits in `text`, found by searching for it from the previous one's end:
    exact, because the gap between two tokens holds no letter, digit or mark (any of those would
    have started a token there), and cheaper than cutting the text again with the regex."""
    offsets: list[tuple[int, int]] = []
    end = 0
    for tok in tokens:
        start = text.find(tok, end)
        end = start + len(tok)
        offsets.append((start, end))
    return offsets


def _sentence_ends(text: str) -> list[int]:
    """Offsets where sentences end (the text's end included); a plain character scan is ~5x
    cheaper than a regex with lookarounds, and few candidates survive the checks."""
    cuts: list[int] = []
    for m in _BREAK.finditer(text):
        i = m.start()
        if text[i] != "\n":
            after = text[i + 1 : i + 2]
            if (after and not after.isspace()) or (i >= 2 and text[i - 2] == "." and text[i - 1].isalpha()):
                continue
        cuts.append(i)
    cuts.append(len(text))
    return cuts


def tokenize(title: str, summary: str = "") -> Doc:
    """Clean and tokenize an item: the title is one sentence; the summary's end at . ! ? ؟ ; ؛ newline.

    Written for speed: one C-level findall per sentence and cached per-token folding.
    """
    t = clean(title or "")
    text = t + "\n" + clean(summary or "") if summary else t
    sentences: list[tuple[int, str]] = []
    tokens: list[str] = []
    sent: list[int] = []
    bounds: list[tuple[int, int]] = []
    n_title = -1
    pos = 0
    if text.isascii():
        token_re = _TOKEN_RE_ASCII
    else:
        token_re = TOKEN_RE if not _PROCLITIC_NUMBER.search(text) else _TOKEN_RE_AR_NUM
    # A title is one sentence however it is punctuated ("Google was set to pay Scale AI. Now it's walking
    # away", "لوسي غو.. أصبحت مليارديرة بفضل صفقة ميتا"): its parts tell one story.
    n = len(t)
    cuts = [n] + [n + 1 + c for c in _sentence_ends(text[n + 1 :])] if summary else [n]
    for cut in cuts:
        toks = token_re.findall(text, pos, cut)
        if toks:
            sentences.append((pos, text[pos:cut]))
            bounds.append((len(tokens), len(tokens) + len(toks)))
            sent.extend([len(bounds) - 1] * len(toks))
            tokens.extend(toks)
        if n_title < 0 and cut >= len(t):
            n_title = len(tokens)
        pos = cut + 1
    norm = _fold_all(tokens)
    return Doc(text, sentences, tokens, norm, sent, bounds, len(tokens) if n_title < 0 else n_title,
               token_re=token_re)
