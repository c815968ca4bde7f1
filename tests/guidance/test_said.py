"""`{{ guidance|said }}` and `{{ guidance|cite }}`: a text and its sources' links, escaped."""

from django.template import Context, Template
from django.urls import reverse

from tracker.guidance import REGISTRY
from tracker.guidance.texts import Guidance


def render(source: str, **context) -> str:
    return Template("{% load tracker_tags %}" + source).render(Context(context))


def test_a_text_is_followed_by_a_link_to_each_of_its_sources():
    glow = REGISTRY["glow"]
    sources = reverse("tracker:sources")

    html = render("{{ g|said }}", g=glow)

    assert html.startswith(glow.text.replace("'", "&#x27;").replace('"', "&quot;") + " ")
    for source in glow.cited:
        assert f'<a href="{sources}#{source.key}">' in html
    assert html.count("<a ") == len(glow.cited) > 0
    assert render("{{ g|cite }}", g=glow) == html[html.index('<span class="cite">') :]


def test_the_text_and_the_sources_names_are_escaped():
    made_up = Guidance("made-up", "Less <b>than</b> 5 & more", ("loop",))

    html = render("{{ g|said }}", g=made_up)

    assert html.startswith("Less &lt;b&gt;than&lt;/b&gt; 5 &amp; more ")
    assert "<b>" not in html


def test_no_guidance_says_nothing():
    assert render("[{{ g|said }}{{ g|cite }}]", g=None) == "[]"
