"""Guidance the app shows, each text with its sources; import from here.

`sources` holds what the Sources page lists, `texts` the sourced texts, `expectations` the
card that follows the practice logged.
"""

from tracker.guidance.expectations import (
    Expectation,
    Practice,
    expectation,
    practice,
    practice_of,
)
from tracker.guidance.safety import (
    HEALTH,
    PRODUCT_REACTIONS,
    REACTIONS,
    RECENT_PRODUCT_DAYS,
    SEE_A_DOCTOR,
)
from tracker.guidance.sources import SOURCES, SOURCES_BY_KEY, Source, by_section
from tracker.guidance.texts import (
    DEVICES,
    DOSE,
    FIRM_CAUTION,
    GLOW,
    GLOW_PHOTO,
    GUA_SHA_STEP,
    NOT_CLAIMED,
    PATCH_TEST_TIP,
    PRESSURE,
    REGISTRY,
    SAFETY_TIPS,
    SHORT_SESSION,
    STARTERS_NOTE,
    TECHNIQUES,
    Guidance,
)

__all__ = [
    "DEVICES",
    "DOSE",
    "FIRM_CAUTION",
    "GLOW",
    "GLOW_PHOTO",
    "GUA_SHA_STEP",
    "HEALTH",
    "NOT_CLAIMED",
    "PATCH_TEST_TIP",
    "PRESSURE",
    "PRODUCT_REACTIONS",
    "REACTIONS",
    "RECENT_PRODUCT_DAYS",
    "REGISTRY",
    "SAFETY_TIPS",
    "SEE_A_DOCTOR",
    "SHORT_SESSION",
    "SOURCES",
    "SOURCES_BY_KEY",
    "STARTERS_NOTE",
    "TECHNIQUES",
    "Expectation",
    "Guidance",
    "Practice",
    "Source",
    "by_section",
    "expectation",
    "practice",
    "practice_of",
]
