"""Every piece of guidance has a source the Sources page lists, and says no more than it."""

import re
from pathlib import Path

from tracker import guidance
from tracker.guidance.sources import SOURCES_BY_KEY
from tracker.guidance.texts import REGISTRY, Guidance
from tracker.models import Technique
from tracker.starters import STARTERS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def unsourced(texts: dict[str, Guidance]) -> list[str]:
    """Texts without a source, or citing one the Sources page does not list."""
    problems = []
    for key, text in texts.items():
        if not text.sources:
            problems.append(f"{key}: no source")
        problems += [
            f"{key}: unknown source {s!r}" for s in text.sources if s not in SOURCES_BY_KEY
        ]
    return problems


# The rule


def test_every_guidance_text_has_a_source_the_sources_page_lists():
    assert REGISTRY, "no guidance registered"
    assert unsourced(REGISTRY) == []


def test_the_rule_catches_a_text_without_a_source_and_one_citing_an_unknown_key():
    # Guards the test above against a check that passes everything.
    texts = {
        "bare": Guidance("bare", "Massage works wonders.", ()),
        "made-up": Guidance("made-up", "So says a study.", ("miyaji-2018", "nobody-2024")),
    }

    assert unsourced(texts) == ["bare: no source", "made-up: unknown source 'nobody-2024'"]


def test_every_guidance_key_a_template_asks_for_exists():
    asked = {
        key
        for template in TEMPLATES.rglob("*.html")
        for key in re.findall(r'{% guidance "([^"]+)"', template.read_text())
    }
    assert asked, "no template asks for guidance by key"
    assert asked - set(REGISTRY) == set()


# What the texts say


def test_every_technique_and_pressure_has_a_description():
    assert set(guidance.TECHNIQUES) == set(Technique.values)
    assert set(guidance.PRESSURE) == {"gentle", "medium", "firm"}


def test_starter_descriptions_are_sourced_guidance_and_promise_nothing():
    for starter in STARTERS:
        assert REGISTRY[starter.description.key] is starter.description
        assert not re.search(r"\b(lift|depuff)", starter.name, re.IGNORECASE)
    assert "practitioner guides" in guidance.STARTERS_NOTE.text
    assert "not studied routines" in guidance.STARTERS_NOTE.text


def test_gua_sha_guidance_gives_the_angle_and_the_passes():
    for text in (guidance.TECHNIQUES["gua_sha"], guidance.GUA_SHA_STEP):
        assert "15 to 45 degrees" in text.text
        assert "3 to 5 passes" in text.text
    gua_sha = next(s for s in STARTERS if s.slug == "gua-sha-8")
    assert all(
        "3 to 5" in step.instruction for step in gua_sha.steps if step.technique == "gua_sha"
    )


def test_device_texts_say_devices_are_not_hands_and_who_paid():
    assert "not the same as hands" in guidance.DEVICES.text
    assert "MTG" in guidance.DEVICES.text
    assert "L'Oréal" in guidance.DEVICES.text
