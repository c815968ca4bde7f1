from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from tracker.forms import ProfileForm, ReminderPlanForm, RestWeekForm
from tracker.htmx import HtmxHttpRequest
from tracker.models import PushSubscription, RestWeek
from tracker.ownership import get_owned_or_404
from tracker.reminders import push


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HtmxHttpRequest) -> HttpResponse:
    """Time zone, week start, targets, and rest weeks."""
    form = ProfileForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        request.user.profile.change_settings(**form.cleaned_data)
        messages.success(request, "Settings saved.")
        return redirect("tracker:profile")
    return settings_page(request, form=form)


def settings_page(request: HtmxHttpRequest, **forms) -> TemplateResponse:
    """The settings page, with `forms` (one that failed to validate) in place of fresh ones."""
    user = request.user
    # The reminder plan and the calendar feed in one query.
    mine = get_user_model().objects.select_related("reminder_plan", "calendar_feed").get(pk=user.pk)
    plan = getattr(mine, "reminder_plan", None)
    feed = getattr(mine, "calendar_feed", None)
    feed_url = (
        request.build_absolute_uri(reverse("tracker:calendar-feed", args=[feed.token]))
        if feed
        else None
    )
    context = {
        "form": ProfileForm(instance=user.profile),
        "rest_form": RestWeekForm(user=user),
        "rest_weeks": RestWeek.objects.for_user(user),
        "reminder_form": ReminderPlanForm(user=user, plan=plan),
        "plan": plan,
        "push_key": settings.VAPID_PUBLIC_KEY if push.push_configured() else "",
        "push_devices": push.push_configured()
        and PushSubscription.objects.for_user(user).current().count(),
        "feed_url": feed_url,
        "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
        **forms,
    }
    response = TemplateResponse(request, "tracker/profile.html", context)
    # It shows the calendar's secret address: no browser cache or service worker keeps it.
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
def rest_week_add(request: HtmxHttpRequest) -> HttpResponse:
    """Mark a week as a rest week: it neither counts nor breaks the streak."""
    form = RestWeekForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        rest = RestWeek.objects.mark(request.user, data["week_start"], data["reason"])
        messages.success(request, f"The week of {rest.week_start:%-d %b %Y} is a rest week.")
        from_dashboard = request.POST.get("next") == "dashboard"
        return redirect("tracker:dashboard" if from_dashboard else "tracker:profile")
    return settings_page(request, rest_form=form)


@require_POST
@login_required
def rest_week_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Count a rest week as an ordinary week again."""
    get_owned_or_404(RestWeek, request.user, pk=pk).remove()
    messages.success(request, "Rest week removed.")
    return redirect("tracker:profile")
