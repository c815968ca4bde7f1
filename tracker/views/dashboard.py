from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from tracker import guidance
from tracker.htmx import HtmxHttpRequest, wants_partial
from tracker.models import Experiment, HealthCheck, MassageSession, PhotoComparison, Routine
from tracker.pages import dashboard_parts, progress_part
from tracker.reactions import current_advice

RECENT_SESSIONS = 5


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """This week against the target, streaks, strength, charts, and one-tap logging."""
    profile = request.user.profile
    if wants_partial(request) and request.htmx.target == "progress":
        # A refresh of the progress alone: the cached part as it is, no template around it.
        return HttpResponse(progress_part(request, profile).html)
    context = {
        # Lazy, like the querysets: a refresh of the recent sessions alone skips the counting.
        # From the pages cache when nothing changed since (tracker.pages).
        "progress_part": SimpleLazyObject(lambda: progress_part(request, profile)),
        "profile": profile,
        "routines": Routine.objects.for_user(request.user).prefetch_related("steps"),
        "recent_sessions": recent_sessions(request.user),
        # Called by the template, so only the full page pays for the photo card's queries.
        "photo_comparison": lambda: PhotoComparison.latest(request.user),
        # Called by the template: refreshes of a part of the page skip these queries.
        "reaction_advice": lambda: current_advice(request.user, profile),
        "health_check": SimpleLazyObject(
            lambda: HealthCheck.objects.for_user(request.user).first()
        ),
        # Called by the template: the experiment running or planned now, if any (one query).
        "experiment": lambda: Experiment.objects.open_on(request.user, profile.today()),
        "safety_tips": guidance.SAFETY_TIPS,
        "not_claimed": guidance.NOT_CLAIMED,
    }
    if wants_partial(request) and request.htmx.target == "recent-sessions":
        return TemplateResponse(request, "tracker/dashboard.html#recent-sessions", context)

    def render_parts(extra: dict) -> tuple[str, str]:
        return tuple(
            render_to_string(f"tracker/dashboard.html#{part}", context | extra, request=request)
            for part in ("dashboard-top", "dashboard-rest")
        )

    # The page around the email prompt from the pages cache, until the person's data, their
    # day or their settings change (tracker.pages); the base template is rendered every time.
    top, rest = dashboard_parts(request, profile, render_parts)
    return TemplateResponse(
        request, "tracker/dashboard.html", {"dashboard_top": top, "dashboard_rest": rest}
    )


def recent_sessions(user):
    return MassageSession.objects.for_user(user).newest_first().for_list()[:RECENT_SESSIONS]
