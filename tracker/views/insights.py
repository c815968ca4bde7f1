"""Is it working for me: what goes with a reaction."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from tracker.htmx import HtmxHttpRequest
from tracker.insights import MIN_SESSIONS, MONTHS, insights_for
from tracker.statistics import SIGNIFICANCE


@require_GET
@login_required
def insights(request: HtmxHttpRequest) -> TemplateResponse:
    """Each product, tool, technique, area and pressure against the sessions without it."""
    context = {
        "insights": insights_for(request.user, request.user.profile.today()),
        "min_sessions": MIN_SESSIONS,
        "months": MONTHS,
        "significance": SIGNIFICANCE,
    }
    return TemplateResponse(request, "tracker/insights.html", context)
