from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from tracker import stats, yearmap
from tracker.htmx import HtmxHttpRequest
from tracker.models import MassageSession, RestWeek


@require_GET
@login_required
def year(request: HtmxHttpRequest) -> TemplateResponse:
    """A year at a glance: every day of the last 52 weeks, and minutes per month."""
    profile = request.user.profile
    today = profile.today()
    # The grid's first day or the months' first day, whichever is earlier: one query for both.
    first = min(
        profile.week_start_of(today) - (yearmap.YEAR_WEEKS - 1) * stats.WEEK,
        yearmap.month_starts(today, yearmap.YEAR_MONTHS)[0],
    )
    rows = list(
        MassageSession.objects.for_user(request.user)
        .filter(local_date__range=(first, today))
        .values_list("local_date", "minutes")
    )
    rest_weeks = RestWeek.objects.for_user(request.user).filter(week_start__gte=first)
    context = {
        "profile": profile,
        "year": yearmap.year_map(
            rows,
            first_weekday=profile.week_start,
            minimum=profile.target_min,
            stretch=profile.target_stretch,
            rest_weeks=rest_weeks.values_list("week_start", flat=True),
            today=today,
            # Weeks before the account or its first session (an import may predate the account)
            # are not missed weeks. From the rows and the user already loaded: no query.
            started=min(
                min((day for day, _ in rows), default=today),
                stats.local_date(request.user.date_joined, profile.zone),
            ),
        ),
        "months": yearmap.month_chart(rows, today=today),
    }
    return TemplateResponse(request, "tracker/year.html", context)
