"""The passphrase estimate guesses like an attacker (zxcvbn + a Dutch list)."""

from __future__ import annotations

import pytest

from brugdesk.app import passphrase_policy as pp
from brugdesk.errors import WeakPassphrase

ME = ("Anouk de Wit", "Welzijn Oost")


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("aaaaaaaaaaaa", "Herhaalde tekens"),
        ("wachtwoord12", "lijsten die inbrekers"),
        ("Welkom01Welkom01", "te zwak"),
        ("qwertyuiop123456", "te zwak"),
        ("abcdefghijklmnop", "Reeksen"),
        ("123456789012", "te zwak"),
        ("P@ssw0rd1234", "helpt nauwelijks"),
        ("poiuytrewqlkjhgf", "te zwak"),  # a keyboard walk
        ("wachtwoordwachtwoord", "herhaald stuk"),
        ("Feyenoord1234", "te zwak"),
        ("jantje1234567", "te zwak"),
        ("geheimgeheim", "te zwak"),
        ("Welzijn Oost1", "Uw eigen naam of organisatie"),
        ("anoukdewit1980", "te zwak"),  # her own name (user input) and a year
    ],
)
def test_weak_passphrases_are_refused_with_a_dutch_reason(passphrase: str, reason: str) -> None:
    s = pp.strength(passphrase, ME)
    assert not s.acceptable and s.score == 0 and s.label == "te zwak"
    assert reason in s.hint and "vier of meer losse woorden" in s.hint
    assert pp.problem(passphrase, ME) == s.hint
    with pytest.raises(WeakPassphrase):
        pp.check_passphrase(passphrase, ME)


@pytest.mark.parametrize(
    "passphrase",
    [
        "kaars fiets molen regen",
        "correct horse battery staple",
        "mijn fiets staat altijd bij de bakker",
        "tulp ketel zebra dinsdag",
        "Gr8!kq#Vz0pL",  # random characters, short but not guessable
    ],
)
def test_strong_passphrases_pass(passphrase: str) -> None:
    s = pp.strength(passphrase, ME)
    assert s.acceptable and s.score >= 1, s
    assert pp.problem(passphrase, ME) is None
    pp.check_passphrase(passphrase, ME)


def test_user_inputs_matter() -> None:
    # Knowing the worker's organisation makes a passphrase built from it cheaper to guess.
    assert (
        pp.estimate("welzijnoostdelft", ME)["guesses_log10"]
        < pp.estimate("welzijnoostdelft")["guesses_log10"]
    )


def test_length_rule_still_comes_first() -> None:
    assert "te kort" in pp.strength("kort").hint
    assert "te lang" in (pp.problem("kaars fiets " * 100) or "")


def test_long_input_is_estimated_on_its_prefix() -> None:
    # zxcvbn refuses passwords over 72 characters; a long phrase is still judged.
    long_phrase = "kaars fiets molen regen " * 20
    assert pp.strength(long_phrase).acceptable
    assert not pp.strength("a" * 500).acceptable


def test_dutch_word_list_is_loaded() -> None:
    lists = pp._dutch_dictionaries()
    assert {"nl_passwords", "nl_words", "nl_names"} <= set(lists)
    assert lists["nl_passwords"]["wachtwoord"] == 1
    assert sum(len(words) for words in lists.values()) > 500
