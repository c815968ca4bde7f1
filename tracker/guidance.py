"""What to expect, stated as plainly as the studies allow (see DESIGN.md)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Expectation:
    title: str
    body: str


GLOW = (
    "A session raises blood flow in the face for roughly 10 to 40 minutes, so the glow right "
    "after massage is real but temporary. Judge progress from photos taken before a session."
)

DOSE = (
    "Most studies used daily sessions. Two or three a week is a habit you can keep, "
    "not a proven dose."
)

SAFETY_TIPS = (
    "Use light pressure: massage should never bruise.",
    "Wash your hands and tools before and after each session.",
    "Skip areas with active breakouts, rosacea or eczema flares, broken skin, or after a "
    "recent peel or laser treatment.",
    "Patch-test a new oil or serum on your inner arm twice a day for 7 to 10 days and watch "
    "for 48 hours before using it on your face.",
)

NOT_CLAIMED = (
    "Facial massage is not shown to detox, burn fat or replace medical treatment. "
    "See a doctor about pain, lumps or skin that does not settle."
)


def expectation(practice_week: int | None) -> Expectation:
    """The honest expectation for this point of the practice."""
    if practice_week is None:
        return Expectation(
            "Getting started",
            "Aim for 2 to 3 sessions a week of 5 to 15 minutes. Take a first photo before your "
            "first session so you have something fair to compare with later. " + DOSE,
        )
    if practice_week <= 2:
        return Expectation(
            f"Week {practice_week}: building the habit",
            GLOW + " Small uncontrolled studies of daily self-massage first reported visible "
            "change after about two weeks. " + DOSE,
        )
    if practice_week <= 8:
        return Expectation(
            f"Week {practice_week}: keep going",
            "Studies with massage devices reported visible change after 4 to 8 weeks, in small "
            "groups and mostly without a control group. Compare photos taken at the same angle, "
            "in the same light, before a session. " + DOSE,
        )
    if practice_week <= 20:
        return Expectation(
            f"Week {practice_week}: the long middle",
            "A study of facial exercise reported changes after about 20 weeks of practice. "
            "Changes this slow are easy to miss day to day, which is what photo comparisons "
            "are for. " + DOSE,
        )
    return Expectation(
        f"Week {practice_week}: a settled practice",
        "You have practised longer than most studies lasted. Whether it keeps helping is best "
        "judged from your own photos; the evidence for the long run is thin. " + DOSE,
    )
