from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from tracker import guidance
from tracker.htmx import HtmxHttpRequest, render_page_or_target
from tracker.models import Experiment, HealthCheck, MassageSession, PhotoComparison, Routine
from tracker.progress import build_progress
from tracker.reactions import current_advice

RECENT_SESSIONS = 5


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> TemplateResponse:
    """This week against the target, streaks, strength, charts, and one-tap logging."""
    profile = request.user.profile
    context = {
        # Lazy, like the querysets: a refresh of the recent sessions alone skips the counting.
        "progress": SimpleLazyObject(lambda: build_progress(request.user, profile)),
        "profile": profile,
        "routines": Routine.objects.for_user(request.user).prefetch_related("steps"),
        "recent_sessions": (
            MassageSession.objects.for_user(request.user)
            .newest_first()
            .for_list()[:RECENT_SESSIONS]
        ),
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
    return render_page_or_target(
        request, "tracker/dashboard.html", context, {"progress", "recent-sessions"}
    )
