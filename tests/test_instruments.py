"""Instruments as data: loading, validation, scoring, versioning, minimisation."""

from __future__ import annotations

import itertools
import shutil
from importlib.resources import as_file
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments
from brugdesk.domain.instruments import InstrumentError, load_file, score_scale
from brugdesk.errors import ValidationError
from brugdesk.paths import resources
from brugdesk.storage.models import AssessmentItem

SHIPPED = resources() / "instruments"


def test_every_shipped_instrument_loads() -> None:
    files = instruments.instrument_files()
    assert {p.name for p in files} >= {"leefgebieden.toml", "eenzaamheid-djg6.toml"}
    for path in files:
        inst = load_file(path)
        assert inst.id and inst.version and inst.title


def test_leefgebieden_content() -> None:
    inst = instruments.get("leefgebieden")
    assert inst.kind == "domains" and len(inst.domains) == 13
    assert [lv.value for lv in inst.scale] == [1, 2, 3, 4, 5]
    assert (
        inst.scale[0].label == "Acuut probleem" and inst.scale[-1].label == "Volledig zelfredzaam"
    )
    for domain in inst.domains:
        assert 2 <= len(domain.openers) <= 4, domain.id
        assert len(domain.signals) >= 2, domain.id
    money = inst.domain("financien")
    assert "Huurachterstand" in [s.label for s in money.signals]
    assert "Weinig contacten" in [s.label for s in inst.domain("netwerk").signals]


DJG = instruments.get("eenzaamheid-djg6")
EMOTIONAL = ["leegte", "mis-mensen", "in-de-steek"]
SOCIAL = ["terugvallen", "vertrouwen", "verbonden"]


def answers(lonely_emotional: int, lonely_social: int, *, middle: bool = False) -> dict[str, str]:
    """Answers that give the asked number of points per subscale."""
    yes_lonely = "min-of-meer" if middle else "ja"
    out = {}
    for i, item in enumerate(EMOTIONAL):
        out[item] = yes_lonely if i < lonely_emotional else "nee"
    for i, item in enumerate(SOCIAL):  # positively worded: "nee" is the lonely answer
        out[item] = ("min-of-meer" if middle else "nee") if i < lonely_social else "ja"
    return out


@pytest.mark.parametrize(
    ("emotional", "social", "band"),
    [
        (0, 0, "niet eenzaam"),
        (1, 0, "niet eenzaam"),
        (1, 1, "matig eenzaam"),
        (2, 2, "matig eenzaam"),
        (3, 2, "(zeer) ernstig eenzaam"),
        (3, 3, "(zeer) ernstig eenzaam"),
    ],
)
def test_djg6_band_boundaries(emotional: int, social: int, band: str) -> None:
    for middle in (False, True):
        result = score_scale(DJG, answers(emotional, social, middle=middle))
        assert result.complete and result.maximum == 6
        assert result.total == emotional + social
        assert result.subscales == {"emotioneel": emotional, "sociaal": social}
        assert result.band == band


def test_djg6_reversed_items_and_every_combination() -> None:
    # "ja" on a positively worded social item means *not* lonely.
    assert score_scale(DJG, {i: "ja" for i in EMOTIONAL + SOCIAL}).total == 3
    assert score_scale(DJG, {i: "nee" for i in EMOTIONAL + SOCIAL}).total == 3
    for combo in itertools.product(["nee", "min-of-meer", "ja"], repeat=6):
        given = dict(zip(EMOTIONAL + SOCIAL, combo, strict=True))
        result = score_scale(DJG, given)
        expected = sum(a != "nee" for a in combo[:3]) + sum(a != "ja" for a in combo[3:])
        assert result.total == expected


def test_djg6_incomplete_has_no_total() -> None:
    partial = answers(3, 3)
    del partial["vertrouwen"]
    result = score_scale(DJG, partial)
    assert not result.complete and result.total is None and result.band == ""
    assert result.subscales == {"emotioneel": 3, "sociaal": None}
    assert "Niet alle vragen" in result.describe(DJG)


BROKEN = [
    ("id = 'x'\nversion = '1'\ntitle = 't'\nkind = 'raar'\n", "'kind'"),
    ("version = '1'\ntitle = 't'\nkind = 'domains'\n", "'id'"),
    ("id = 'Hoofd Letters'\nversion = '1'\ntitle = 't'\nkind = 'domains'\n", "'id'"),
    ("id = 'x'\nversion = 1\ntitle = 't'\nkind = 'domains'\n", "'version'"),
    (
        "id = 'x'\nversion = '1'\ntitle = 't'\nkind = 'domains'\n[[scale]]\nvalue = 1\n"
        "label = 'a'\ndescription = 'b'\n[[scale]]\nvalue = 3\nlabel = 'a'\ndescription = 'b'\n",
        "'scale'",
    ),
    ("this is = = not toml", "geen geldige TOML"),
]


@pytest.mark.parametrize(("content", "names"), BROKEN)
def test_loader_names_file_key_and_problem(tmp_path: Path, content: str, names: str) -> None:
    path = tmp_path / "kapot.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_file(path)
    assert "kapot.toml" in info.value.message and names in info.value.message


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            "points = { nee = 0, min-of-meer = 1, ja = 1 }",
            "points = { nee = 0, ja = 1 }",
            "items[0].points",
        ),
        ('subscale = "emotioneel"', 'subscale = "onbekend"', "items[0].subscale"),
        ("min = 2\nmax = 4", "min = 3\nmax = 4", "bands"),
        ('id = "mis-mensen"', 'id = "leegte"', "items"),
    ],
)
def test_scale_rules_are_checked(tmp_path: Path, old: str, new: str, key: str) -> None:
    text = (SHIPPED / "eenzaamheid-djg6.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "djg.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_file(path)
    assert f"'{key}'" in info.value.message


def test_domain_rules_are_checked(tmp_path: Path) -> None:
    text = (SHIPPED / "leefgebieden.toml").read_text(encoding="utf-8")
    path = tmp_path / "lg.toml"
    path.write_text(text.replace('id = "wonen"', 'id = "werk"'), encoding="utf-8")
    with pytest.raises(InstrumentError, match="'domains' bevat 'werk' twee keer"):
        load_file(path)


@pytest.fixture
def resources_with_v2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A resources folder where leefgebieden v1 is archived and v2 is current."""
    root = tmp_path / "resources"
    with as_file(SHIPPED) as shipped:
        shutil.copytree(shipped, root / "instruments")
    (root / "instruments" / "archive").mkdir()
    shutil.move(
        root / "instruments" / "leefgebieden.toml",
        root / "instruments" / "archive" / "leefgebieden-1.toml",
    )
    v1 = (root / "instruments" / "archive" / "leefgebieden-1.toml").read_text(encoding="utf-8")
    v2 = v1.replace('version = "1"', 'version = "2"').replace(
        'name = "Geld en schulden"', 'name = "Financiën"'
    )
    (root / "instruments" / "leefgebieden.toml").write_text(v2, encoding="utf-8")
    monkeypatch.setattr(instruments, "resources", lambda: root)
    instruments._load_all.cache_clear()
    yield root
    instruments._load_all.cache_clear()


def test_old_assessments_render_with_their_own_version(
    caseload: Caseload, resources_with_v2
) -> None:
    assert instruments.get("leefgebieden").version == "2"
    cid = caseload.clients.create(given_name="Oud", family_name="Gesprek")
    aid = caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[{"domain": "financien", "score": 2}],
    )
    record = caseload.assessments.get(aid)
    inst = instruments.get(record.instrument_id, record.instrument_version)
    assert inst.version == "1" and inst.part_name("financien") == "Geld en schulden"
    assert instruments.get("leefgebieden").part_name("financien") == "Financiën"
    with pytest.raises(ValidationError):
        caseload.assessments.add(
            cid,
            instrument_id="leefgebieden",
            instrument_version="9",
            items=[{"domain": "financien", "score": 2}],
        )


def test_undiscussed_domains_leave_no_row(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Minimaal", family_name="Gesprek")
    aid = caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[
            {
                "domain": "netwerk",
                "score": 2,
                "priority": True,
                "signals": ["weinig-contacten"],
                "wish": "Wandelgroep",
            }
        ],
    )
    with caseload.transaction() as s:
        rows = s.query(AssessmentItem).filter_by(assessment_id=aid).all()
        assert [r.domain for r in rows] == ["netwerk"]


def test_assessment_is_checked_against_its_instrument(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Check", family_name="Mij")
    for bad in (
        {"domain": "financien", "score": 7},
        {"domain": "sterrenkunde", "score": 3},
        {"domain": "financien", "signals": ["verzonnen"]},
    ):
        with pytest.raises(ValidationError):
            caseload.assessments.add(
                cid, instrument_id="leefgebieden", instrument_version="1", items=[bad]
            )
    with pytest.raises(ValidationError):
        caseload.assessments.add(
            cid,
            instrument_id="eenzaamheid-djg6",
            instrument_version="1",
            items=[{"domain": "leegte", "score": 5}],
        )


def test_djg6_assessment_scores_from_storage(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Een", family_name="Zaam")
    given = answers(3, 2)
    aid = caseload.assessments.add(
        cid,
        instrument_id="eenzaamheid-djg6",
        instrument_version="1",
        items=[
            {"domain": item, "score": instruments.answer_index(DJG, a)} for item, a in given.items()
        ],
    )
    result = caseload.assessments.scale_result(aid)
    assert (result.total, result.band) == (5, "(zeer) ernstig eenzaam")
    assert result.subscales == {"emotioneel": 3, "sociaal": 2}


def test_changes_wheel_and_actions_from_an_assessment(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Ver", family_name="Andering")
    first = caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        held_on="2026-01-10",
        items=[
            {"domain": "financien", "score": 2},
            {"domain": "netwerk", "score": 3},
            {"domain": "wonen", "score": 4},
        ],
    )
    latest = caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        held_on="2026-06-10",
        items=[
            {"domain": "financien", "score": 4, "wish": "Zelf weer overzicht houden"},
            {"domain": "netwerk", "score": 3},
            {"domain": "wonen", "score": 2},
        ],
    )
    changes = {c.domain: c.arrow for c in caseload.assessments.changes(cid)}
    assert changes == {"financien": "↑", "netwerk": "=", "wonen": "↓"}
    a, b = caseload.assessments.wheel(cid)
    assert (a.id, b.id) == (first, latest)
    ids = caseload.assessments.create_actions(latest, ["financien", "wonen"])
    texts = [caseload.actions.fetch(cid)[i].description for i in range(2)]
    assert len(ids) == 2
    assert "Geld en schulden: Zelf weer overzicht houden" in texts
    assert "Wonen: vervolgstap afspreken" in texts
