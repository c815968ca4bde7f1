"""Every piece of guidance the app shows, each with the sources it rests on.

A text says no more than its sources do (tests/test_guidance.py checks that every text has a
source and that each source is on the Sources page). Numbers from a person's own log are
added around these texts by the templates; the claims live here.
"""

from dataclasses import dataclass

from tracker.guidance.sources import SOURCES_BY_KEY, Source


@dataclass(frozen=True)
class Guidance:
    key: str
    text: str
    sources: tuple[str, ...]

    @property
    def cited(self) -> list[Source]:
        return [SOURCES_BY_KEY[key] for key in self.sources if key in SOURCES_BY_KEY]

    def __str__(self) -> str:
        return self.text


REGISTRY: dict[str, Guidance] = {}


def say(key: str, text: str, *sources: str) -> Guidance:
    """A guidance text, registered so that the source check sees it."""
    if key in REGISTRY:
        raise ValueError(f"Two guidance texts share the key {key!r}")
    REGISTRY[key] = guidance = Guidance(key, text, tuple(sources))
    return guidance


# What a session does

GLOW = say(
    "glow",
    "A session raises blood flow in the face for a while: by up to about a quarter for at "
    "least 10 minutes after 5 minutes of rolling, and to nearly twice the baseline after 5 "
    "minutes of gua sha, back to normal within 35 to 40 minutes. A glow right after massage is "
    "temporary: judge progress from photos taken before a session.",
    "miyaji-2018",
    "dubinskaya-2023",
)

GLOW_PHOTO = say(
    "glow-photo",
    "Blood flow in the face stays raised for 10 to 40 minutes after massage, so a photo taken "
    "right after a session shows a glow that fades. Such photos are labelled.",
    "miyaji-2018",
    "dubinskaya-2023",
)

DOSE = say(
    "dose",
    "Almost every study used daily or twice-daily sessions. No study tested 2 to 3 sessions a "
    "week of facial massage; the nearest is an every-other-day phase of facial exercise after 8 "
    "daily weeks. Two or three a week is a habit you can keep, not a proven dose.",
    "flament-2023",
    "okuda-2022",
    "miyaji-2018",
    "alam-2018",
    "practitioner-frequency",
)

SHORT_SESSION = say(
    "short-session",
    "It counts all the same: a study of daily self-massage used 3-minute sessions.",
    "flament-2023",
)

# Safety

PRESSURE_TIP = say(
    "pressure-tip",
    "Use light pressure on the face: it should not bruise. Gua sha on the body is done to "
    "raise small bruises; facial guides use featherlight pressure.",
    "gua-sha-technique",
    "nielsen-2007",
)

HYGIENE_TIP = say(
    "hygiene-tip",
    "Wash your hands and tools before and after each session: tools with warm water and mild "
    "soap, then dry them.",
    "tool-hygiene",
)

SKIP_TIP = say(
    "skip-tip",
    "Skip areas with active acne, rosacea or eczema, and broken or fragile skin; wait after a "
    "recent peel, microdermabrasion or laser. If you are pregnant or have had injectables, ask "
    "your doctor first.",
    "who-should-avoid",
)

PATCH_TEST_TIP = say(
    "patch-test-tip",
    "Patch-test a new oil or serum: a quarter-sized spot on the underside of your arm or the "
    "bend of your elbow, twice a day for 7 to 10 days. A reaction can show at once or within "
    "48 hours; if one does, wash it off and stop.",
    "aad-patch-test",
)

SAFETY_TIPS = (PRESSURE_TIP, HYGIENE_TIP, SKIP_TIP, PATCH_TEST_TIP)

NOT_CLAIMED = say(
    "not-claimed",
    "Facial massage is not shown to detox, to burn fat where you massage or to remove a double "
    "chin, and it added nothing to a moisturiser in the one study that tested that (on "
    "forearms). A review found no controlled trial of facial exercise. See a doctor about pain, "
    "lumps or skin that does not settle.",
    "van-borsel-2014",
    "hamed-2012",
    "no-fat-loss",
)

# Devices next to hands

DEVICES = say(
    "devices",
    "Rollers and other devices are not the same as hands, and their studies were tied to the "
    "companies that sell them: the roller's maker (MTG) funded the roller study, the exercise "
    "device is MTG's, and the oscillating-device study was L'Oréal's. We found no study of "
    "microcurrent devices for the face.",
    "miyaji-2018",
    "hwang-2018",
    "caberlotto-2017",
    "our-search",
)

# Pressure

GENTLE = say(
    "pressure-gentle",
    "The skin moves with your fingers or tool, and there is no redness afterwards.",
    "gua-sha-technique",
)
MEDIUM = say(
    "pressure-medium",
    "Firmer, never painful; a flush should fade within the hour.",
    "gua-sha-technique",
    "dubinskaya-2023",
)
FIRM = say(
    "pressure-firm",
    "Not on the face around the eyes, where the skin is thin; stop if it hurts.",
    "who-should-avoid",
    "gua-sha-technique",
)
FIRM_CAUTION = say(
    "firm-caution",
    "Firm pressure can bruise. Gua sha on the body is done to raise small bruises that last 1 "
    "to 7 days; facial guides use featherlight pressure so that it does not bruise. Keep firm "
    "pressure off the face around the eyes, and stop if it hurts.",
    "nielsen-2007",
    "gua-sha-technique",
    "who-should-avoid",
)

PRESSURE = {"gentle": GENTLE, "medium": MEDIUM, "firm": FIRM}

# Techniques: one line each, shown where a technique is picked.

TECHNIQUES = {
    "effleurage": say(
        "technique-effleurage",
        "Light, gliding strokes with the flat of the fingers, like the smoothing gestures in a "
        "study of daily self-massage.",
        "flament-2023",
    ),
    "petrissage": say(
        "technique-petrissage",
        "Kneading: gently lifting and rolling the skin between the fingertips; fingertip "
        "kneading opened one study's routine.",
        "ct-massage",
    ),
    "tapotement": say(
        "technique-tapotement",
        "Light, quick taps with the fingertips.",
        "flament-2023",
    ),
    "friction": say(
        "technique-friction",
        "Small, firmer strokes that move the skin over what lies beneath it.",
        "flament-2023",
    ),
    "lymphatic": say(
        "technique-lymphatic",
        "Very light strokes towards the ears and down the neck. We found no facial trial of "
        "it, and no evidence that it reduces puffiness.",
        "gua-sha-technique",
        "our-search",
    ),
    "acupressure": say(
        "technique-acupressure",
        "Steady, light pressure held on one point for a few breaths. We found no facial "
        "cosmetic trial of it.",
        "our-search",
    ),
    "gua_sha": say(
        "technique-gua-sha",
        "Scraping with a smooth stone held nearly flat (15 to 45 degrees), 3 to 5 passes per "
        "area, on oiled skin, featherlight.",
        "gua-sha-technique",
    ),
    "rolling": say(
        "technique-rolling",
        "Rolling a roller over the skin. The one roller study was paid for by the roller's maker.",
        "miyaji-2018",
    ),
    "circular": say(
        "technique-circular",
        "Small circles with the fingertips, a gentle form of the kneading and friction in the "
        "studies' routines.",
        "ct-massage",
        "flament-2023",
    ),
}

GUA_SHA_STEP = say(
    "gua-sha-step",
    "Stone nearly flat (15 to 45 degrees), 3 to 5 passes per area, featherlight.",
    "gua-sha-technique",
)

# Starter routines

STARTERS_NOTE = say(
    "starters-note",
    "These are not studied routines. Their strokes and order come from practitioner guides; "
    "the studies used their own routines, mostly every day. Copy one, then change anything.",
    "gua-sha-technique",
    "flament-2023",
    "ct-massage",
)

STARTER_HANDS = say(
    "starter-hands",
    "Upward strokes, kneading, knuckle glides and light taps over the neck, jaw, cheeks and "
    "forehead. From practitioner guides; similar gestures appeared in the routines of two "
    "small, short studies.",
    "flament-2023",
    "ct-massage",
)

STARTER_LIGHT = say(
    "starter-light",
    "Feather-light strokes down the neck, on the bone around the eyes and across the cheeks. "
    "Gentle and short; we found no trial of these strokes against puffiness.",
    "gua-sha-technique",
    "our-search",
)

STARTER_GUA_SHA = say(
    "starter-gua-sha",
    "A gua sha stone held nearly flat (15 to 45 degrees), 3 to 5 passes per area, always on "
    "oiled skin, as practitioner guides describe. In one study, 5 minutes on the forehead "
    "nearly doubled blood flow for about half an hour.",
    "gua-sha-technique",
    "dubinskaya-2023",
)
