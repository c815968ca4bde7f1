"""Advice for a reaction after a session, and for the answers of the "before you start" check.

Each text names what to do first ("Skip these areas", "Gentle pressure only", "Ask your doctor
first"), then why, with its sources. The answers change the advice; they never block logging.
"""

from tracker.guidance.texts import say

BRUISING = say(
    "reaction-bruising",
    "Use lighter pressure next time, leave the bruised area alone until it has healed, and "
    "consider a rest week. Facial guides use featherlight pressure that should not bruise; marks "
    "from gua sha on the body last 1 to 7 days.",
    "gua-sha-technique",
    "nielsen-2007",
)
IRRITATION = say(
    "reaction-irritation",
    "A product may be the cause. Pause the products you first used in the last 14 days, listed "
    "here, and see whether your skin settles. When a product reacts, the patch-test advice is "
    "to wash it off and stop using it.",
    "aad-patch-test",
)
BREAKOUT = say(
    "reaction-breakout",
    "A product may be the cause: pause the products you first used in the last 14 days, listed "
    "here, and leave the area with the breakout alone while it is active. One dermatologist "
    "calls coconut and avocado oil pore-clogging and jojoba, grapeseed and rosehip acceptable "
    "for acne-prone skin, though such ratings are unreliable: patch-test first.",
    "aad-patch-test",
    "face-oils",
    "who-should-avoid",
)
REDNESS = say(
    "reaction-redness",
    "A flush right after massage is the raised blood flow, back to normal within 35 to 40 "
    "minutes in one study. Redness that lasts longer is something else: leave the area alone, "
    "and use lighter pressure next time.",
    "dubinskaya-2023",
    "gua-sha-technique",
)
SEE_A_DOCTOR = say(
    "reaction-doctor",
    "Redness or pain that lasts more than a day, or skin that does not settle: see a doctor.",
    "dubinskaya-2023",
    "who-should-avoid",
)

REACTIONS = {
    "redness": REDNESS,
    "irritation": IRRITATION,
    "bruising": BRUISING,
    "breakout": BREAKOUT,
}
# Reactions that may come from a product: the advice lists the products first used lately.
PRODUCT_REACTIONS = frozenset({"irritation", "breakout"})
RECENT_PRODUCT_DAYS = 14

# The "before you start" check: each answer's advice, keyed like HealthCondition.
HEALTH = {
    "active_skin": say(
        "health-active-skin",
        "Skip these areas: leave skin with active acne, rosacea or eczema alone, and ask a "
        "dermatologist before massaging near it.",
        "who-should-avoid",
    ),
    "broken_skin": say(
        "health-broken-skin",
        "Skip these areas: massage around broken or sunburnt skin, never on it, until it has "
        "healed.",
        "who-should-avoid",
    ),
    "recent_procedure": say(
        "health-recent-procedure",
        "Ask first: guides say to avoid facial tools after a recent peel, microdermabrasion or "
        "laser. Ask whoever treated you when you can start again.",
        "who-should-avoid",
    ),
    "injectables": say(
        "health-injectables",
        "Ask your doctor first: guides say that people who have had injectables should ask a "
        "dermatologist before facial massage.",
        "who-should-avoid",
    ),
    "pregnancy": say(
        "health-pregnancy",
        "Ask your doctor first: a guide lists pregnancy among the reasons not to use facial tools.",
        "who-should-avoid",
    ),
    "bruises_easily": say(
        "health-bruising",
        "Gentle pressure only, and ask your doctor first. Gua sha on the body is done to raise "
        "small bruises; facial guides use featherlight pressure so that it does not bruise.",
        "nielsen-2007",
        "gua-sha-technique",
    ),
}
