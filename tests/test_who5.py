"""The WHO-5 Well-Being Index as data: loading, the × 4 rule, bands, keys, storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.app.conversation import Answer, Conversation, options
from brugdesk.domain import instruments
from brugdesk.domain.instruments import InstrumentError, load_file, score_scale
from brugdesk.paths import resources

SHIPPED = resources() / "instruments"
WHO5 = instruments.get("welbevinden-who5")
POINTS = {5: "hele-tijd", 4: "meestal", 3: "meer-dan-helft", 2: "minder-dan-helft"}
POINTS |= {1: "af-en-toe", 0: "geen-moment"}


def given(*points: int) -> dict[str, str]:
    return {item.id: POINTS[p] for item, p in zip(WHO5.items, points, strict=True)}


def test_who5_loads_with_the_dutch_items_and_answers() -> None:
    assert WHO5.kind == "scale" and WHO5.version == "1" and WHO5.multiplier == 4
    assert [i.text for i in WHO5.items] == [
        "Ik voelde me vrolijk en goedgehumeurd.",
        "Ik voelde me rustig en ontspannen.",
        "Ik voelde me actief en energiek.",
        "Ik voelde me fris en uitgerust als ik wakker werd.",
        "Mijn dagelijks leven was gevuld met dingen die mij interesseren.",
    ]
    assert [(a.label, a.key) for a in WHO5.answers] == [
        ("De hele tijd", 5),
        ("Meestal", 4),
        ("Meer dan de helft van de tijd", 3),
        ("Minder dan de helft van de tijd", 2),
        ("Af en toe", 1),
        ("Geen enkel moment", 0),
    ]
    assert "Frederiksborg" in WHO5.source and "Nederlandse versie" in WHO5.source
    assert "twee weken" in WHO5.prompt
    assert (WHO5.raw_maximum, WHO5.maximum) == (25, 100)


def test_all_five_is_100_and_all_zero_is_0() -> None:
    top = score_scale(WHO5, given(5, 5, 5, 5, 5))
    assert (top.total, top.raw_total, top.maximum) == (100, 25, 100)
    assert top.band == "geen aanwijzing voor verlaagd welbevinden"
    bottom = score_scale(WHO5, given(0, 0, 0, 0, 0))
    assert (bottom.total, bottom.raw_total) == (0, 0)
    assert bottom.band.startswith("laag welbevinden") and "huisarts" in bottom.band


@pytest.mark.parametrize(
    ("points", "total", "band"),
    [
        ((3, 2, 4, 1, 3), 52, "geen aanwijzing"),  # raw 13: just above 50
        ((3, 2, 4, 1, 2), 48, "verlaagd welbevinden"),  # raw 12
        ((2, 2, 1, 1, 2), 32, "verlaagd welbevinden"),  # raw 8
        ((2, 1, 1, 1, 2), 28, "laag welbevinden"),  # raw 7: the depression cut-off
    ],
)
def test_mixed_answers_and_the_band_boundaries(
    points: tuple[int, ...], total: int, band: str
) -> None:
    result = score_scale(WHO5, given(*points))
    assert result.total == total == sum(points) * 4
    assert result.band.startswith(band)
    assert f"Score {total} van 100 (ruwe score {sum(points)} van 25 × 4)" in result.describe(WHO5)


def test_incomplete_who5_has_no_score() -> None:
    partial = given(5, 5, 5, 5, 5)
    del partial["interesse"]
    result = score_scale(WHO5, partial)
    assert not result.complete and result.total is None and result.raw_total is None
    assert "geen totaalscore" in result.describe(WHO5)


def test_the_keys_are_the_points() -> None:
    assert [(o.key, o.score) for o in options(WHO5)] == [
        (5, 0),
        (4, 1),
        (3, 2),
        (2, 3),
        (1, 4),
        (0, 5),
    ]
    djg = instruments.get("eenzaamheid-djg6")
    assert [o.key for o in options(djg)] == [1, 2, 3]  # without keys: the position + 1


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (SHIPPED / "welbevinden-who5.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "who5.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("multiplier = 4", "multiplier = 0", "multiplier"),
        ("multiplier = 4", 'multiplier = "4"', "multiplier"),
        ("multiplier = 4", "multiplier = 1", "bands"),  # bands 0–100 no longer fit 0–25
        ("min = 51\nmax = 100", "min = 51\nmax = 99", "bands"),
        ('label = "Meestal", key = 4', 'label = "Meestal", key = 5', "answers.key"),
        ('label = "Meestal", key = 4', 'label = "Meestal", key = 10', "answers[1].key"),
        ('label = "Meestal", key = 4', 'label = "Meestal"', "answers"),
    ],
)
def test_multiplier_and_key_rules_are_checked(tmp_path: Path, old: str, new: str, key: str) -> None:
    with pytest.raises(InstrumentError) as info:
        load_file(_broken(tmp_path, old, new))
    assert f"'{key}'" in info.value.message


def test_without_a_multiplier_the_points_are_the_score(tmp_path: Path) -> None:
    path = _broken(tmp_path, "multiplier = 4\n", "")
    text = path.read_text(encoding="utf-8")
    text = text.replace("max = 28", "max = 7").replace("min = 29\nmax = 50", "min = 8\nmax = 12")
    path.write_text(text.replace("min = 51\nmax = 100", "min = 13\nmax = 25"), encoding="utf-8")
    plain = load_file(path)
    assert plain.multiplier == 1
    result = score_scale(plain, given(5, 5, 5, 5, 4))
    assert (result.total, result.maximum) == (24, 25)
    assert result.describe(plain).startswith("Totaal 24 van 25:")


def test_a_who5_conversation_stores_and_scores(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Wel", family_name="Bevinden")
    conv = Conversation.start(caseload, cid, "welbevinden-who5")
    assert conv.chosen == [i.id for i in WHO5.items]  # asked whole
    conv.next()
    for points in (4, 3, 3, 2, 1):
        conv.set_answer(Answer(score=instruments.answer_index(WHO5, POINTS[points])))
        conv.next()
    assert conv.on_summary
    aid = conv.finish()
    result = caseload.assessments.scale_result(aid)
    assert (result.total, result.raw_total) == (52, 13)
    [stored] = caseload.assessments.fetch(cid)
    assert (stored.instrument_id, stored.instrument_version) == ("welbevinden-who5", "1")
    assert caseload.actions.fetch(cid) == []  # a scale never becomes plan actions
