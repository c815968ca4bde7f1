"""What the Sources page lists: each study or guideline with what a reader needs to weigh it."""

import re

import pytest

from tracker.guidance.sources import SOURCES, SOURCES_BY_KEY

REQUIRED_SOURCES = {
    "miyaji-2018",
    "dubinskaya-2023",
    "flament-2023",
    "okuda-2022",
    "alam-2018",
    "van-borsel-2014",
    "hamed-2012",
    "caberlotto-2017",
    "aad-patch-test",
}


def test_the_sources_the_issue_names_are_all_listed():
    assert set(SOURCES_BY_KEY) >= REQUIRED_SOURCES


def test_source_keys_are_unique_anchors():
    keys = [source.key for source in SOURCES]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", key) for key in keys)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.key)
def test_each_source_says_what_a_reader_needs_to_weigh_it(source):
    for field in ("who", "done", "control", "measured", "found", "funding", "citation"):
        assert getattr(source, field).strip(), f"{source.key} has no {field}"
    assert source.references, f"{source.key} says nowhere to read it"


def test_the_sponsored_studies_name_who_paid():
    assert "MTG" in SOURCES_BY_KEY["miyaji-2018"].funding
    assert "L'Oréal" in SOURCES_BY_KEY["flament-2023"].funding
    assert "L'Oréal" in SOURCES_BY_KEY["caberlotto-2017"].funding
    assert "16 finished" in SOURCES_BY_KEY["alam-2018"].who
    assert SOURCES_BY_KEY["flament-2023"].control.startswith("None")
    assert SOURCES_BY_KEY["caberlotto-2017"].control.startswith("Yes")
