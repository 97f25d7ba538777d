"""Name keys that make old and new Indonesian spellings meet.

The 1972 spelling reform (EYD) turned ``oe`` into ``u``, ``dj`` into ``j``, ``tj`` into ``c``,
``j`` into ``y``, ``nj`` into ``ny``, ``sj`` into ``sy`` and ``ch`` into ``kh``; registries hold
both (SOEKARNO and SUKARNO, DJOKO and JOKO). A key folds every spelling of a name onto one
string, so a search in either spelling finds both. The folding is deliberately coarse: because
old ``j`` is new ``y`` while new ``j`` was old ``dj``, all three become ``y``. That makes JOKO,
DJOKO and YOKO meet, which is what a clerk facing an old document wants from a search; exact
spellings rank first.
"""

from __future__ import annotations

import re
import unicodedata

# Order matters: digraphs first, then the single j.
_FOLDS = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "kh"), ("j", "y"))
_NOT_LETTER = re.compile(r"[^a-z]+")


def _ascii_lower(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.lower().replace("'", "").replace("`", "")


def _fold(word: str) -> str:
    for old, new in _FOLDS:
        if old in word:
            word = word.replace(old, new)
    return word


_FOLDED: dict[str, str] = {}  # lower-case word -> key: names share a few thousand words
_FOLDED_SIZE = 100_000


def _folded(word: str) -> str:
    """`_fold`, remembered: an import folds millions of words, mostly the same ones."""
    key = _FOLDED.get(word)
    if key is None:
        key = _fold(word)
        if len(_FOLDED) < _FOLDED_SIZE:
            _FOLDED[word] = key
    return key


def word_key(word: str) -> str:
    """The spelling-independent key of one word (apostrophes dropped: MA'RUF -> maruf)."""
    return _fold(_NOT_LETTER.sub("", _ascii_lower(word)))


def words(name: str) -> list[str]:
    """The words of a name, split on spaces, dots, commas and hyphens."""
    return [w for w in _NOT_LETTER.split(_ascii_lower(name)) if w]


def keys(name: str) -> tuple[str, list[str]]:
    """The key of a whole name and its phrases: the key from each word to the end.

    ``SRI WAHYU HANDOKO`` has the phrases ``sri wahyu handoko``, ``wahyu handoko`` and
    ``handoko``. A query typed in order (``wahyu han``) is then a prefix of exactly the
    phrases that match it, so one index range finds it.
    """
    folded = [_folded(w) for w in words(name)]
    phrases = [" ".join(folded[i:]) for i in range(len(folded))]  # distinct: each one word shorter
    return (phrases[0] if phrases else ""), phrases


def phrases(name: str) -> list[str]:
    return keys(name)[1]


def name_key(name: str) -> str:
    """The key of a whole name: its word keys joined by single spaces."""
    return keys(name)[0]


def clean_name(name: str) -> str:
    """A name as the registry stores it: upper case, single-spaced."""
    return " ".join(str(name).upper().split())


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (keys are a-z)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
