"""Spelling-independent name keys: old and new Indonesian spellings meet, both ways."""

from __future__ import annotations

import pytest

from registry.names import name_key, phrases, prefix_keys, word_key


@pytest.mark.parametrize("old, new", [
    ("SOEKARNO", "SUKARNO"),
    ("DJOKO", "JOKO"),
    ("TJIPTO", "CIPTO"),
    ("JOGJA", "YOGYA"),
    ("NJOMAN", "NYOMAN"),
    ("SJAMSUL", "SYAMSUL"),
    ("CHOIRUL", "KHOIRUL"),
    ("POEDJI", "PUJI"),
])
def test_old_and_new_spellings_have_one_key(old, new):
    assert word_key(old) == word_key(new)
    assert word_key(old.lower()) == word_key(new)


def test_different_names_keep_different_keys():
    assert word_key("SRI") != word_key("SITI")
    assert word_key("BUDI") != word_key("BUDHI")


def test_name_key_ignores_case_punctuation_and_spacing():
    assert name_key("  Ma'ruf   AMIN ") == name_key("MARUF AMIN")
    assert name_key("R.A. KARTINI") == name_key("r a  kartini") == "r a kartini"


def test_phrases_run_from_each_word_to_the_end():
    assert phrases("SRI WAHYU HANDOKO") == ["sri wahyu handoko", "wahyu handoko", "handoko"]
    assert phrases("Siti Nurhaliza-Putri") == ["siti nurhaliza putri", "nurhaliza putri", "putri"]
    assert phrases("SRI SRI") == ["sri sri", "sri"]


@pytest.mark.parametrize("typed, keys", [
    ("so", ["so", "su"]), ("mo", ["mo", "mu"]), ("d", ["d", "y"]), ("t", ["t", "c"]),
    ("c", ["c", "kh"]), ("dj", ["y"]), ("tj", ["c"]), ("soe", ["su"]), ("sri", ["sri"]),
    ("tjo", ["co", "cu"]), ("hard", ["hard", "hary"]),
])
def test_a_partly_typed_word_stands_for_the_start_of_each_key_it_may_begin(typed, keys):
    assert prefix_keys(typed) == keys
