"""The studies and guides the app's guidance rests on, with what a reader needs to weigh them.

Every fact here comes from the project's evidence file (shared/EVIDENCE.md). Where that file
does not say something (who paid, whether there was a control group), the entry says so
instead of guessing. A source's key is its anchor on the Sources page: never change one.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

NOT_STATED = "Not stated in the summary we used."


@dataclass(frozen=True)
class Source:
    key: str
    short: str
    citation: str
    section: str
    who: str
    done: str
    control: str
    measured: str
    found: str
    funding: str
    caveats: str = ""
    # Full addresses become links; anything else ("site.com, a March 2025 article") is text.
    references: tuple[str, ...] = ()
    low_quality: bool = False

    @property
    def links(self) -> list[tuple[str, str | None]]:
        """(label, address or None): a link is labelled with its site, the rest is plain text."""
        return [
            (urlsplit(ref).netloc.removeprefix("www."), ref)
            if ref.startswith("https://")
            else (ref, None)
            for ref in self.references
        ]


HANDS = "Self-massage by hand"
BLOOD_FLOW = "Blood flow after a session"
DEVICES = "Devices (not the same as hands)"
EXERCISE = "Facial exercise and reviews"
SAFETY = "Safety and skin"
PRACTICE = "Practitioner guides (technique, not effects)"

SECTIONS = (HANDS, BLOOD_FLOW, DEVICES, EXERCISE, SAFETY, PRACTICE)

SOURCES: tuple[Source, ...] = (
    # Self-massage by hand
    Source(
        key="flament-2023",
        short="Flament 2023",
        citation="Flament, Maudet, Bayer-Vanmoen (2023), Int J Cosmet Sci 45(6):761-768",
        section=HANDS,
        who="50 women aged 40 to 60 (skin types Fitzpatrick II to III).",
        done="Self-massage for 3 minutes a day for 2 weeks with a botanical oil: 14 gestures "
        "(stretching, flicking, tapping, friction, smoothing).",
        control="None: an open study, everyone massaged.",
        measured="Expert grading on a 10-point scale, and a questionnaire.",
        found="Sagging (ptosis) graded 4.9% lower, fine lines 23.8% lower, plumpness 4.4% and "
        "radiance 16.7% higher; over 85% saw smoother skin and all reported better well-being.",
        funding="L'Oréal.",
        caveats="No control group, so the changes cannot be separated from the oil, the "
        "grading or the passing of time.",
        references=(
            "https://www.lorealdermatologicalbeauty.com/inter/skinalliance/article/"
            "impact-of-a-daily-self-massage-on-visible-signs-of-stress",
        ),
    ),
    Source(
        key="okuda-2022",
        short="Okuda 2022",
        citation="Okuda, Takeda, Taira, Kobayashi, Inomata, Yoshioka (2022)",
        section=HANDS,
        who="5 people (3 women, 2 men) aged 29 to 37.",
        done="Self-massage twice a day for 2 weeks (one blog says the routine took about "
        "90 seconds).",
        control="None.",
        measured="320-row CT scans of the face.",
        found="The top of the cheek (malar) shifted 3.9 ± 1.94 mm towards the head; the SMAS "
        "layer's height rose 2.6% ± 2.6%.",
        funding=NOT_STATED,
        caveats="A pilot of five people without a control group.",
        references=(
            "https://eld.bl.uk/catalog/100156543856_0x000001",
            "https://bellemocha.com/2024/01/proof-that-facial-massages-tone-and.html",
        ),
    ),
    Source(
        key="ct-massage",
        short="3D-CT study",
        citation="“Analysis of morphological changes after facial massage … 3D-CT” (Wiley; "
        "authors and year not shown in the copy we read)",
        section=HANDS,
        who="12 women aged 30 to 54.",
        done="5 minutes of massage with cream, done twice: fingertip kneading, then upward "
        "strokes from the jaw to the cheeks, forehead and eyes.",
        control=NOT_STATED,
        measured="Photo scoring and 3D-CT scans.",
        found="Changes at the nasolabial fold, beside the nose and along the jaw, and visible "
        "changes in the fat and muscle under the skin.",
        funding=NOT_STATED,
        caveats="Measured straight after massage only: nothing about lasting change.",
        references=("katerinasteventon.com, category: cosmetic procedures",),
    ),
    Source(
        key="hatayama-2008",
        short="Hatayama 2008",
        citation="Hatayama et al. (2008), Biomed Res 29(6):317-20",
        section=HANDS,
        who="32 healthy women aged 20 to 40.",
        done="One 45-minute facial massage by an aesthetician (cream, steam, lotion).",
        control=NOT_STATED,
        measured="Anxiety and mood questionnaires (STAI, POMS) and heart-rate variability.",
        found="Anxiety and negative mood fell after the massage.",
        funding=NOT_STATED,
        caveats="A long, professional session, not self-massage.",
        references=(
            "https://www.massagemag.com/research-exclusive-facial-massage-reduces-anxiety-and-"
            "boosts-mood-4217/",
        ),
    ),
    # Blood flow
    Source(
        key="miyaji-2018",
        short="Miyaji 2018",
        citation="Miyaji, Sugimori, Hayashi (2018), Complement Ther Med 41:271-276",
        section=BLOOD_FLOW,
        who="12 people for one session; 14 for five weeks; mostly young men.",
        done="A roller (ReFa CARAT) on the right cheek: 5 minutes once; then daily, over "
        "5 minutes, for 5 weeks.",
        control="The massaged cheek was compared with the other one.",
        measured="Skin blood flow (laser speckle), and how much vessels widen under a 40 °C "
        "heat probe.",
        found="Blood flow in the massaged cheek rose by up to about 25% for at least 10 minutes. "
        "After 5 weeks the vessels on the massaged side widened more under heat.",
        funding="MTG, the roller's maker; an MTG employee is a co-author.",
        caveats="A device paid for by its maker, in a small group of mostly young men.",
        references=("https://www.ncbi.nlm.nih.gov/pubmed/30477852",),
    ),
    Source(
        key="dubinskaya-2023",
        short="Dubinskaya 2023",
        citation="Dubinskaya et al. (2023), Bulletin of Rehabilitation Medicine 22(2)",
        section=BLOOD_FLOW,
        who="15 healthy women, median age 49.",
        done="5 minutes of gua sha on the forehead, once.",
        control="None: one group, measured before and after.",
        measured="Skin blood flow for 60 minutes afterwards.",
        found="Blood flow rose to 1.85 times the baseline, and was back to baseline after 35 "
        "to 40 minutes.",
        funding=NOT_STATED,
        caveats="One session only: it says nothing about lasting change.",
        references=("https://journals.eco-vector.com/2078-1962/article/view/595736",),
    ),
    Source(
        key="nielsen-2007",
        short="Nielsen 2007",
        citation="Nielsen, Knoblauch, Dobos, Michalsen, Kaptchuk (2007), Explore 3(5):456-66",
        section=BLOOD_FLOW,
        who="11 healthy staff members (a pilot).",
        done="One gua sha session on the back.",
        control=NOT_STATED,
        measured="Blood flow near the skin's surface (laser Doppler).",
        found="Four times the blood flow for the first 7.5 minutes, still raised after 25.",
        funding=NOT_STATED,
        caveats="The back, not the face; this kind of gua sha is meant to raise small bruises "
        "(petechiae), which on the body last 1 to 7 days.",
        references=("https://metajournal.com/articles/1195487",),
    ),
    # Devices
    Source(
        key="caberlotto-2017",
        short="Caberlotto 2017",
        citation="Caberlotto et al. (2017), PLoS One 12(3):e0172624",
        section=DEVICES,
        who="Skin samples in the lab; then 42 women aged 65 to 75 (20 with the device, 22 "
        "with the cream only).",
        done="An oscillating massage device (65 to 85 Hz). Lab: 1 minute twice a day for 10 "
        "days. Women: an anti-aging cream plus the device daily for 8 weeks.",
        control="Yes: women who used the cream without the device.",
        measured="Proteins in the skin samples; blinded clinical grading at weeks 0, 4 and 8.",
        found="More decorin, fibrillin, tropoelastin and procollagen-1 (skin proteins) in the "
        "samples, most at 75 Hz. With the device, the cream's effect on wrinkles, texture, the "
        "lip area and neck sagging was larger than with the cream alone. Device users reported "
        "no side effects; they noticed a change at 4 weeks and firmness at 8.",
        funding="L'Oréal.",
        caveats="A device, not hands, and always with a cream.",
        references=(
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC5383004",
            "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0172624",
        ),
    ),
    Source(
        key="hwang-2018",
        short="Hwang 2018",
        citation="Hwang et al. (2018), Aesthet Surg J 38(5):463-476",
        section=DEVICES,
        who="50 women.",
        done="The “Pao” facial exercise device, 30 seconds twice a day for 8 weeks.",
        control=NOT_STATED + " Rated evidence level 4.",
        measured="Muscle size on ultrasound; face shape on a laser scan.",
        found="Two face muscles grew in cross-section; midface and jawline distances shrank.",
        funding="The device is made by MTG.",
        caveats="A device for exercise, not massage.",
        references=("https://pmc.ncbi.nlm.nih.gov/articles/PMC5888959",),
    ),
    Source(
        key="humbert-2015",
        short="Humbert 2015",
        citation="Humbert et al. (2015), Clin Interv Aging 10:387-403",
        section=DEVICES,
        who="30 people aged 35 to 50.",
        done="24 sessions with a professional “Mécano-Stimulation” machine.",
        control="Yes: one side of the face, chosen at random, was treated.",
        measured="Skin biopsies and clinical scoring.",
        found="More hyaluronic acid, elastin and collagen I; signs of sagging improved.",
        funding=NOT_STATED,
        caveats="A professional machine, not self-massage.",
        references=("https://pmc.ncbi.nlm.nih.gov/articles/PMC4321566",),
    ),
    # Exercise and reviews
    Source(
        key="alam-2018",
        short="Alam 2018",
        citation="Alam et al. (2018), JAMA Dermatology (research letter)",
        section=EXERCISE,
        who="27 women aged 40 to 65 enrolled; 16 finished.",
        done="Facial exercise after two 90-minute training sessions: 32 exercises, 30 minutes "
        "a day for 8 weeks, then every other day until week 20.",
        control="None.",
        measured="Blinded ratings of photos, and estimated age.",
        found="Fuller upper and lower cheeks; estimated age fell from 50.8 to 49.6 years at "
        "week 8 and to 48.1 at week 20.",
        funding=NOT_STATED,
        caveats="Exercise, not massage; no control group; 41% dropped out.",
        references=(
            "https://www.medestheticsmag.com/news/article/21147778/facial-yoga-reduces-signs-of-"
            "aging",
        ),
    ),
    Source(
        key="guzel-2025",
        short="Güzel 2025",
        citation="Güzel et al. (2025), Medicina 61(5):840",
        section=EXERCISE,
        who="12 women, mean age 49.75.",
        done="Face yoga for 8 weeks: 2 supervised days and 5 days at home each week.",
        control="None.",
        measured="Muscle tone, stiffness and elasticity (MyotonPRO).",
        found="Elasticity rose in every muscle measured; tone and stiffness fell in some and "
        "rose in others.",
        funding=NOT_STATED,
        caveats="Exercise, not massage; no control group.",
        references=("https://pmc.ncbi.nlm.nih.gov/articles/PMC12112979",),
    ),
    Source(
        key="van-borsel-2014",
        short="Van Borsel 2014",
        citation="Van Borsel et al. (2014), Aesthet Surg J 34(1):22-27",
        section=EXERCISE,
        who="A systematic review of 9 studies.",
        done="Facial exercises (the search also covered facial massage).",
        control="None of the 9 studies had a control group or randomisation.",
        measured="—",
        found="The evidence was insufficient to say whether facial exercises work.",
        funding=NOT_STATED,
        references=("https://aestheticmedicinenews.com/?p=3268",),
    ),
    Source(
        key="hamed-2012",
        short="Hamed 2012",
        citation="Hamed et al. (2012), J Cosmet Dermatol 11(3):239-44",
        section=EXERCISE,
        who="13 women (their forearms).",
        done="A moisturiser twice a day, with or without 1 minute of light stroking "
        "(effleurage), for 2 weeks, then 1 week off.",
        control="Yes: within each woman, moisturiser with and without massage, assigned at random.",
        measured="Water loss through the skin, skin moisture and elasticity.",
        found="The massage added nothing to the moisturiser's effect.",
        funding=NOT_STATED,
        caveats="Forearms, not the face.",
        references=("https://pubmed.ncbi.nlm.nih.gov/22938011/",),
    ),
    Source(
        key="yun-2013",
        short="Yun 2013",
        citation="Yun et al. (2013), eCAM",
        section=EXERCISE,
        who="27 women aged 40 to 59.",
        done="Facial acupuncture (needles, not acupressure): 5 sessions over 3 weeks.",
        control="None.",
        measured="Face contours (Moiré topography); side effects.",
        found="Contour scores improved (1.70 to 2.26); mild bruising was the commonest side "
        "effect.",
        funding=NOT_STATED,
        caveats="Needles, not massage: listed for its side effects only.",
        references=("https://pmc.ncbi.nlm.nih.gov/articles/PMC3745857",),
    ),
    # Safety
    Source(
        key="aad-patch-test",
        short="AAD patch test",
        citation="The American Academy of Dermatology's patch-test advice, as reported by "
        "Medical News Today",
        section=SAFETY,
        who="Advice for anyone trying a new skin product.",
        done="Apply the product to a quarter-sized area on the underside of the arm or the "
        "bend of the elbow, twice a day for 7 to 10 days.",
        control="Not a study.",
        measured="—",
        found="A reaction can appear at once or within 48 hours; if one does, wash the product "
        "off and stop using it.",
        funding="Not a study.",
        caveats="A “use test” variant runs up to 10 to 14 days and is not for soaps or "
        "cleansers, which irritate (SkinSafe).",
        references=(
            "https://www.medicalnewstoday.com/articles/how-skin-patch-test",
            "https://help.skinsafeproducts.com/articles/how-to-perform-a-use-test",
        ),
    ),
    Source(
        key="who-should-avoid",
        short="Who should avoid it",
        citation="Two consumer guides: thesbeauti.com (2023) and domino.com",
        section=SAFETY,
        who="Advice, not a study.",
        done="—",
        control="Not a study.",
        measured="—",
        found="Avoid facial tools with active acne, rosacea or eczema, broken skin, thin or "
        "fragile skin, after a recent peel, microdermabrasion or laser, and in pregnancy. People "
        "who have had injectables, or who have rosacea or acne, should ask a dermatologist first.",
        funding="Not a study.",
        references=(
            "https://thesbeauti.com/2023/02/17/who-should-not-use-a-jade-roller",
            "https://www.domino.com/content/gua-sha-benefits/",
        ),
        low_quality=True,
    ),
    Source(
        key="face-oils",
        short="Face oils and breakouts",
        citation="A dermatologist's blog (mariehayagmd.com) and a face-oil guide (medspot.ai)",
        section=SAFETY,
        who="Advice, not a study.",
        done="—",
        control="Not a study.",
        measured="—",
        found="Jojoba, grapeseed and rosehip oil are named as acceptable for acne-prone skin, "
        "coconut and avocado oil as pore-clogging; press oil in rather than rub. Pore-clogging "
        "ratings come from tests on rabbits' ears and are unreliable: patch-test on the cheek or "
        "chin first.",
        funding="Not a study.",
        references=(
            "https://mariehayagmd.com/blogs/news/4-face-oils-that-wont-make-you-break-out",
            "https://medspot.ai/blog/face-oils-guide",
        ),
        low_quality=True,
    ),
    Source(
        key="no-fat-loss",
        short="No spot fat loss",
        citation="A doctor's article on face yoga (drreemaarora.com)",
        section=SAFETY,
        who="Advice, not a study.",
        done="—",
        control="Not a study.",
        measured="—",
        found="“Face exercises however cannot help with localised fat loss or double chin "
        "reduction.”",
        funding="Not a study.",
        references=("https://drreemaarora.com/face-yoga-demystified/",),
        low_quality=True,
    ),
    # Practitioner guides
    Source(
        key="gua-sha-technique",
        short="Gua sha guides",
        citation="Practitioner guides to facial gua sha (lova-body.com; how2mag.com, 2025; "
        "indielullabies.com)",
        section=PRACTICE,
        who="Advice, not a study.",
        done="—",
        control="Not a study.",
        measured="—",
        found="Hold the tool at 15 to 45 degrees, nearly flat, stroke towards the lymph nodes, "
        "3 to 5 passes per area; on the face use featherlight pressure: it should not bruise.",
        funding="Not stated; some are sellers of tools.",
        caveats="Technique only: these guides are not evidence of any effect.",
        references=(
            "lova-body.com, a gua sha guide",
            "how2mag.com, a March 2025 gua sha guide",
            "https://indielullabies.com/can-you-bruise-your-face-from-gua-sha/",
        ),
        low_quality=True,
    ),
    Source(
        key="practitioner-frequency",
        short="How often, by practitioners",
        citation="Practitioners' and sellers' advice: leglowstudio.com, domino.com, and a tool "
        "seller's FAQ (alienworld-lifestyle)",
        section=PRACTICE,
        who="Advice, not a study.",
        done="—",
        control="Not a study.",
        measured="—",
        found="Gua sha 2 days a week within a 6-day plan; 3 to 4 times a week; 2 to 3 times a "
        "week.",
        funding="Not stated; one is a seller of tools.",
        caveats="No study tested 2 to 3 sessions a week of facial massage.",
        references=(
            "https://leglowstudio.com/q-a",
            "https://www.domino.com/content/gua-sha-benefits/",
        ),
        low_quality=True,
    ),
    Source(
        key="tool-hygiene",
        short="Tool hygiene",
        citation="Tool guides (how2mag.com; a tool seller's FAQ)",
        section=PRACTICE,
        who="Advice, not a study.",
        done="—",
        control="Not a study.",
        measured="—",
        found="Wash tools with warm water and mild soap, then dry them.",
        funding="Not stated; one is a seller of tools.",
        references=("how2mag.com, a March 2025 gua sha guide",),
        low_quality=True,
    ),
    Source(
        key="our-search",
        short="What we did not find",
        citation="Facetrack's own reading of the papers collected for this app",
        section=PRACTICE,
        who="—",
        done="We read the papers collected for this app for trials of facial acupressure, "
        "lymphatic drainage and microcurrent devices.",
        control="—",
        measured="—",
        found="The collection holds no facial-cosmetic trial of any of them. One evidence "
        "summary (droracle.ai) calls the evidence for lymphatic drainage against puffiness "
        "around the eyes “essentially absent”.",
        funding="—",
        caveats="Not finding a study is not proof that none exists.",
        references=("droracle.ai, article 851526",),
    ),
)

SOURCES_BY_KEY: dict[str, Source] = {source.key: source for source in SOURCES}


def by_section() -> list[tuple[str, list[Source]]]:
    """The sources grouped as the Sources page shows them."""
    return [(section, [s for s in SOURCES if s.section == section]) for section in SECTIONS]
