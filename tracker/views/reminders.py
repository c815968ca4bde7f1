"""Reminders: the plan in Settings, this browser's push subscription, the calendar feed, and
the one-click unsubscribe link of every reminder email."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tracker.forms import ReminderPlanForm
from tracker.models import CalendarFeed, PushSubscription, ReminderPlan, RestWeek
from tracker.reminders import calendar, mail, push
from tracker.views.accounts import settings_page


def to_section(name: str) -> HttpResponse:
    return redirect(f"{reverse('tracker:profile')}#{name}")


@require_POST
@login_required
def reminder_plan(request: HttpRequest) -> HttpResponse:
    """Turn reminders on, or change their days, time, mode and email."""
    form = ReminderPlanForm(request.POST, user=request.user)
    if not form.is_valid():
        return settings_page(request, reminder_form=form)
    ReminderPlan.objects.save_plan(request.user, **form.cleaned_data)
    messages.success(request, "Reminders saved.")
    return to_section("reminders")


@require_POST
@login_required
def reminder_plan_off(request: HttpRequest) -> HttpResponse:
    """No more reminders by push or email (the calendar keeps the planned days)."""
    for plan in ReminderPlan.objects.for_user(request.user):
        plan.turn_off()
    messages.success(request, "Reminders are off.")
    return to_section("reminders")


def json_error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def read_limited(request: HttpRequest) -> bytes | None:
    """The request's body, or None past the size a subscription can have."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if declared > push.MAX_SUBSCRIPTION_BYTES:
        return None
    body = request.read(push.MAX_SUBSCRIPTION_BYTES + 1)
    return None if len(body) > push.MAX_SUBSCRIPTION_BYTES else body


@require_POST
@login_required
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """Remember this browser's push subscription (JSON, as PushSubscription.toJSON() gives it)."""
    if not push.push_configured():
        return json_error("Notifications are not set up on this server.")
    body = read_limited(request)
    if body is None:
        return json_error("That subscription is too large.")
    try:
        subscription = push.parse_subscription(body)
    except push.SubscriptionRefused as refusal:
        return json_error(str(refusal))
    PushSubscription.objects.subscribe(
        request.user,
        endpoint=subscription.endpoint,
        p256dh=subscription.p256dh,
        auth=subscription.auth,
        server_key=settings.VAPID_PUBLIC_KEY,
    )
    return JsonResponse({"message": "Notifications are on for this device."}, status=201)


@require_POST
@login_required
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    """Forget this browser's push subscription (JSON with its endpoint)."""
    body = read_limited(request)
    try:
        endpoint = push.parse_endpoint(body or b"")
    except push.SubscriptionRefused as refusal:
        return json_error(str(refusal))
    PushSubscription.objects.unsubscribe(request.user, endpoint)
    return JsonResponse({"message": "Notifications are off for this device."})


@require_POST
@login_required
def calendar_feed_issue(request: HttpRequest) -> HttpResponse:
    """A secret calendar address, or a new one: the old address stops working at once."""
    had_one = CalendarFeed.objects.for_user(request.user).exists()
    CalendarFeed.objects.issue(request.user)
    messages.success(
        request,
        "New calendar address made: the old one no longer works."
        if had_one
        else "Your calendar address is ready.",
    )
    return to_section("calendar")


@require_POST
@login_required
def calendar_feed_off(request: HttpRequest) -> HttpResponse:
    """Stop the calendar feed: its address answers nothing from now on."""
    for feed in CalendarFeed.objects.for_user(request.user):
        feed.turn_off()
    messages.success(request, "The calendar address no longer works.")
    return to_section("calendar")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The plan's days as an iCalendar feed, for calendar apps (the secret address is the key)."""
    feed = CalendarFeed.objects.by_token(token)
    if feed is None:
        # The same answer for a wrong, malformed or old address: nothing about which exist.
        raise Http404
    owner, profile = feed.owner, feed.owner.profile
    plan = ReminderPlan.objects.for_user(owner).first()
    text = calendar.feed(
        plan,
        zone=profile.zone,
        minutes=profile.target_minutes,
        minimum=profile.target_min,
        first_weekday=profile.week_start,
        rest_weeks=RestWeek.objects.for_user(owner).values_list("week_start", flat=True),
        dashboard_url=request.build_absolute_uri(reverse("tracker:dashboard")),
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="facetrack.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# RFC 8058: a mail program's one-click POST carries the signed token in the URL instead of a
# CSRF token; the token lets its holder do this one thing, stop this person's reminder emails.
@csrf_exempt
@never_cache  # The token is in the address: no cache or service worker keeps the page.
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request: HttpRequest, token: str) -> TemplateResponse:
    """Stop reminder emails from the link in one, without logging in: GET asks, POST stops."""
    owner_id = mail.user_id_for(token)
    plan = ReminderPlan.objects.filter(owner_id=owner_id).first() if owner_id else None
    if plan is None:
        raise Http404
    if request.method == "POST":
        plan.stop_email()
    context = {"done": request.method == "POST", "token": token}
    return TemplateResponse(request, "tracker/reminder_unsubscribe.html", context)
