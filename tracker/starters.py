"""Starter routines offered to every user: strokes from practitioner guides, not studied
protocols (their descriptions, with sources, live in tracker.guidance).

They live in code, not in the database: a user copies one into their own routines
and edits the copy, which keeps its name when a starter is renamed here.
"""

from dataclasses import dataclass

from django.db import transaction

from tracker.guidance import Guidance
from tracker.guidance.texts import STARTER_GUA_SHA, STARTER_HANDS, STARTER_LIGHT
from tracker.models import Area, Routine, Technique, Tool

T, A = Technique, Area


@dataclass(frozen=True)
class StarterStep:
    technique: Technique
    area: Area
    seconds: int
    instruction: str
    tool_kind: str = ""


@dataclass(frozen=True)
class StarterRoutine:
    slug: str
    name: str
    description: Guidance
    steps: tuple[StarterStep, ...]

    @property
    def minutes(self) -> int:
        return round(sum(s.seconds for s in self.steps) / 60)


STARTERS = (
    StarterRoutine(
        "hands-10",
        "10-minute hands and knuckles",
        STARTER_HANDS,
        (
            StarterStep(
                T.EFFLEURAGE,
                A.NECK,
                60,
                "Warm the oil in your palms; stroke up the "
                "neck from collarbone to jaw, light pressure.",
                "fingers",
            ),
            StarterStep(
                T.EFFLEURAGE,
                A.JAWLINE,
                90,
                "Glide from chin to ear along the jawline, alternating hands.",
                "fingers",
            ),
            StarterStep(
                T.PETRISSAGE,
                A.JAWLINE,
                60,
                "Gently pinch and roll along the jawline from chin to ear.",
                "fingers",
            ),
            StarterStep(
                T.FRICTION,
                A.CHEEKS,
                90,
                "Knuckles glide from the corners of the mouth up to the temples.",
                "knuckles",
            ),
            StarterStep(
                T.CIRCULAR,
                A.CHEEKBONES,
                60,
                "Small circles along and under the cheekbones, outwards.",
                "fingers",
            ),
            StarterStep(
                T.EFFLEURAGE,
                A.FOREHEAD,
                90,
                "Stroke up from brows to hairline, one hand after the other.",
                "fingers",
            ),
            StarterStep(
                T.TAPOTEMENT,
                A.FOREHEAD,
                30,
                "Light, quick fingertip taps across the forehead.",
                "fingers",
            ),
            StarterStep(
                T.LYMPHATIC,
                A.NECK,
                120,
                "Finish with slow, feather-light strokes down the sides of the neck.",
                "fingers",
            ),
        ),
    ),
    StarterRoutine(
        "light-5",
        "5-minute light strokes",
        STARTER_LIGHT,
        (
            StarterStep(
                T.LYMPHATIC,
                A.NECK,
                60,
                "Stroke down the sides of the neck to the collarbones, very lightly.",
                "fingers",
            ),
            StarterStep(
                T.CIRCULAR,
                A.EYES,
                60,
                "Ring finger circles around the eye socket, on the bone, never pressing the eye.",
                "fingers",
            ),
            StarterStep(
                T.LYMPHATIC,
                A.EYES,
                60,
                "Sweep from the inner corner under the eye out to the temple.",
                "fingers",
            ),
            StarterStep(
                T.ACUPRESSURE,
                A.TEMPLES,
                30,
                "Hold light pressure on the temples for three slow breaths.",
                "fingers",
            ),
            StarterStep(
                T.LYMPHATIC,
                A.CHEEKS,
                60,
                "Sweep from the nose across the cheeks to the ears, then down the neck.",
                "fingers",
            ),
            StarterStep(
                T.LYMPHATIC, A.NECK, 30, "End with downward strokes along the neck.", "fingers"
            ),
        ),
    ),
    StarterRoutine(
        "gua-sha-8",
        "8-minute gua sha",
        STARTER_GUA_SHA,
        (
            StarterStep(
                T.GUA_SHA,
                A.NECK,
                60,
                "Stone nearly flat (15 to 45 degrees), featherlight: 3 to 5 strokes down each "
                "side of the neck.",
                "gua_sha",
            ),
            StarterStep(
                T.GUA_SHA,
                A.JAWLINE,
                90,
                "Notched edge along the jaw, chin to ear, nearly flat: 3 to 5 passes a side.",
                "gua_sha",
            ),
            StarterStep(
                T.GUA_SHA,
                A.CHEEKS,
                90,
                "Long edge from beside the nose out to the ear, nearly flat: 3 to 5 passes a side.",
                "gua_sha",
            ),
            StarterStep(
                T.GUA_SHA,
                A.CHEEKBONES,
                60,
                "Under the cheekbone, out and up towards the temple: 3 to 5 passes a side.",
                "gua_sha",
            ),
            StarterStep(
                T.GUA_SHA,
                A.FOREHEAD,
                90,
                "From the brows up to the hairline, then out to the temples: 3 to 5 passes each.",
                "gua_sha",
            ),
            StarterStep(
                T.LYMPHATIC,
                A.NECK,
                60,
                "Finish with downward strokes to the collarbones.",
                "gua_sha",
            ),
        ),
    ),
)

STARTERS_BY_SLUG = {starter.slug: starter for starter in STARTERS}
# Copy buttons on a page rendered before the renaming still work.
STARTERS_BY_SLUG |= {"lift-10": STARTERS[0], "depuff-5": STARTERS[1]}


@transaction.atomic
def copy_starter(starter: StarterRoutine, user) -> Routine:
    """Give the user their own editable copy of a starter routine, with the tools it needs."""
    kinds = {step.tool_kind for step in starter.steps if step.tool_kind}
    tools = {kind: Tool.objects.of_kind_for(user, kind) for kind in sorted(kinds)}
    return Routine.objects.add_for(
        user,
        name=starter.name,
        description=starter.description.text,
        steps=starter_step_values(starter, tools),
    )


def starter_step_values(starter: StarterRoutine, tools: dict[str, Tool]) -> list[dict]:
    """The starter's steps as a routine's step values, with the user's tools by kind."""
    return [
        {
            "technique": step.technique,
            "area": step.area,
            "seconds": step.seconds,
            "instruction": step.instruction,
            "tool": tools.get(step.tool_kind),
        }
        for step in starter.steps
    ]
