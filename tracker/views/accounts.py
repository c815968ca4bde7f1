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
from django_htmx.http import trigger_client_event

from tracker import undo
from tracker.forms import ProfileForm, ReminderPlanForm, RestWeekForm
from tracker.htmx import HtmxHttpRequest, render_page_or_target, wants_partial
from tracker.models import PushSubscription, RestWeek
from tracker.ownership import get_owned_or_404
from tracker.reminders import push
from tracker.views.undo import with_offer


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
    # The rest weeks alone when they refresh themselves (after a removal or an Undo).
    response = render_page_or_target(request, "tracker/profile.html", context, {"rest-weeks"})
    # It shows the calendar's secret address: no browser cache or service worker keeps it.
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
def rest_week_add(request: HtmxHttpRequest) -> HttpResponse:
    """Mark a week as a rest week (it neither counts nor breaks the streak), with an Undo."""
    form = RestWeekForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        rest, new = RestWeek.objects.mark_once(request.user, data["week_start"], data["reason"])
        from_dashboard = request.POST.get("next") == "dashboard"
        response = rest_weeks_changed(
            request, redirect("tracker:dashboard" if from_dashboard else "tracker:profile")
        )
        if not new:
            messages.info(
                request, f"The week of {rest.week_start:%-d %b %Y} is a rest week already."
            )
            return response
        return with_offer(request, response, undo.rest_week_marked(request.user, rest))
    if wants_partial(request):
        # From the dashboard, whose week may have been marked elsewhere meanwhile.
        refusal = " ".join(message for errors in form.errors.values() for message in errors)
        response = rest_weeks_changed(request, HttpResponse(""))
        return with_offer(request, response, undo.Offer(refusal, seconds=8, error=True))
    return settings_page(request, rest_form=form)


@require_POST
@login_required
def rest_week_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Count a rest week as an ordinary week again, with an Undo."""
    values = get_owned_or_404(RestWeek, request.user, pk=pk).remove()
    response = rest_weeks_changed(request, redirect("tracker:profile"))
    return with_offer(request, response, undo.rest_week_removed(request.user, values))


def rest_weeks_changed(request: HtmxHttpRequest, redirect_response: HttpResponse) -> HttpResponse:
    """For htmx, nothing to swap: the parts that show rest weeks refresh themselves."""
    if not wants_partial(request):
        return redirect_response
    response = HttpResponse("")
    return trigger_client_event(response, undo.REST_WEEKS_CHANGED, {"target": "body"})
