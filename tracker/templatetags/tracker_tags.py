import functools
import uuid
from html import escape

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from tracker import intervals, progress_html, rows, undo
from tracker.guidance import PRESSURE, REGISTRY, TECHNIQUES, Guidance
from tracker.models import Reaction, Technique
from tracker.webapp import fetched_to_keep

register = template.Library()

CLIENT_ID_PLACEHOLDER = "client-id-placeholder-3Fz8"


@register.simple_tag(takes_context=True)
def new_client_id(context) -> str:
    """A fresh one-time id for a log form (see SessionQuerySet.log); in a part kept in the
    pages cache, a placeholder that each answer replaces with a fresh one (tracker.pages)."""
    if context.get("client_ids_later"):
        return CLIENT_ID_PLACEHOLDER
    return str(uuid.uuid4())


@register.filter
def patch_test_progress(product, today) -> str:
    return product.patch_test_progress(today)


@register.filter
def clock(seconds: int) -> str:
    """Seconds as a countdown shows them: 90 -> "1:30" (as static/js/guide.js does)."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{rest:02d}"


@register.filter
def since_first(days: int) -> str:
    return intervals.since_first(days)


@register.filter
def apart(days: int) -> str:
    return intervals.apart(days)


@register.simple_tag(takes_context=True)
def undo_offer(context) -> str:
    """The Undo a redirect left for this page (see tracker.undo), if any; never for a copy
    the service worker keeps, or the page the person sees would find it taken."""
    request = context.get("request")
    if request is None or fetched_to_keep(request):
        return ""
    offer = undo.take_stashed(request.session)
    if offer is None:
        return ""
    return render_to_string("tracker/undo.html#undo-offer", {"offer": offer}, request=request)


@register.simple_tag
def guidance(key: str) -> Guidance:
    """A sourced guidance text by its key: `{% guidance "glow-photo" as glow %}`."""
    return REGISTRY[key]


@register.simple_tag
def technique_guides() -> list[tuple[str, Guidance]]:
    """Each technique's label with its one-line description, in the order of the choices."""
    return [(label, TECHNIQUES[value]) for value, label in Technique.choices if value in TECHNIQUES]


@register.filter
def technique_guidance(technique: str) -> Guidance | None:
    return TECHNIQUES.get(technique)


@register.filter
def pressure_guidance(pressure: str) -> Guidance | None:
    return PRESSURE.get(pressure)


@register.simple_tag
def reaction_choices() -> list[tuple[str, str]]:
    """The reactions a tap can record: "not recorded" is what no tap means."""
    return [(r.value, r.label) for r in Reaction if r != Reaction.NOT_RECORDED]


@register.filter
def accepts_reaction(session, user) -> bool:
    """Whether a reaction can still be added to this session, in its owner's days."""
    return session.accepts_reaction(user.profile.today())


@register.simple_tag(takes_context=True)
def back_url(context) -> str:
    """The page the person is on, also when htmx asked for a part of it."""
    request = context["request"]
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return htmx.current_url_abs_path
    return request.get_full_path()


@register.filter
def week_of(experiment, today) -> int:
    """Which week of an experiment `today` falls in, counting from 1."""
    return experiment.week_of(today)


# The progress part's loops, built in Python (tracker.progress_html): see its docstring.
register.simple_tag(progress_html.chart_marks)
register.simple_tag(progress_html.week_rows)
register.simple_tag(progress_html.calendar_rows)
register.simple_tag(progress_html.week_dots)


@register.filter
def said(guidance: Guidance | None) -> SafeString:
    """A guidance text followed by its sources, each a link to its entry on the Sources page:
    `{{ tip|said }}`. The texts are constants: each is written once per process, not once per
    page (a dashboard shows seven)."""
    if not guidance:
        return mark_safe("")
    return _said(guidance, reverse("tracker:sources"))


@register.filter
def cite(guidance: Guidance | None) -> SafeString:
    """The sources of a guidance text alone: `{{ glow|cite }}`."""
    if not guidance:
        return mark_safe("")
    return _cite(guidance, reverse("tracker:sources"))


@functools.lru_cache(maxsize=1024)
def _said(guidance: Guidance, sources_url: str) -> SafeString:
    return mark_safe(f"{escape(guidance.text)} {_cite(guidance, sources_url)}")


@functools.lru_cache(maxsize=1024)
def _cite(guidance: Guidance, sources_url: str) -> SafeString:
    links = ", ".join(
        f'<a href="{escape(sources_url)}#{escape(source.key)}">{escape(source.short)}</a>'
        for source in guidance.cited
    )
    return mark_safe(f'<span class="cite">Sources: {links}</span>')


@register.simple_tag(takes_context=True)
def session_row(context, session) -> SafeString:
    """A session's row in a list (tracker.rows): `{% session_row session %}`. Its URLs and the
    owner's today are worked out once per rendering, not once a row."""
    shared = context.render_context.get("session_rows")
    if shared is None:
        shared = context.render_context["session_rows"] = {
            "urls": rows.session_urls(),
            "today": context["user"].profile.today(),
        }
    return rows.session_row(
        session,
        csrf_token=context.get("csrf_token", ""),
        today=shared["today"],
        urls=shared["urls"],
    )
