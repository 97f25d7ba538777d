"""Name keys that make old and new Indonesian spellings meet.

The 1972 spelling reform (EYD) turned ``oe`` into ``u``, ``dj`` into ``j``, ``tj`` into ``c``,
``j`` into ``y``, ``nj`` into ``ny``, ``sj`` into ``sy`` and ``ch`` into ``kh``; registries hold
both (SOEKARNO and SUKARNO, DJOKO and JOKO). A key folds every spelling of a name onto one
string, so a search in either spelling finds both. The folding is deliberately coarse: because
old ``j`` is new ``y`` while new ``j`` was old ``dj``, all three become ``y``. That makes JOKO,
DJOKO and YOKO meet, which is what a clerk facing an old document wants from a search.

A word being typed is the start of its key in each spelling it may be the start of
(`prefix_keys`: ``SO`` may start SOEKARNO, so it is ``so`` or ``su``). The key cannot say how
a name was spelled, so the search ranks the spelling as typed first by reading the names
themselves (`registry.name_rank`), and a typed DJ, which is new J and never Y, finds only
names with a J (DJOKO and JOKO, not YANTO).
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


# The old spellings' two-letter groups, by their first letter: a word typed up to that letter
# may go on to be the group (``SO`` may be the start of ``SOE``).
_GROUPS_BY_FIRST = {old[0]: old for old, _ in _FOLDS if len(old) == 2}
def prefix_keys(word: str) -> list[str]:
    """The key prefixes of a partly typed word: its own key, and when its last letter may
    begin an old spelling's letter group, the key of the word with that group too. ``SO``:
    ``so`` and ``su`` (SOEKARNO); ``D``: ``d`` and ``y`` (DJOKO); ``T``: ``t`` and ``c`` (TJIPTO);
    ``C``: ``c`` and ``kh`` (CHOIRUL). Lower-case letters in, at most two keys out."""
    found = [_fold(word)]
    group = _GROUPS_BY_FIRST.get(word[-1:])
    if group is not None:
        longer = _fold(word[:-1] + group)
        if longer != found[0]:
            found.append(longer)
    return found


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
