from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from tracker import pages, undo
from tracker.forms import RoutineLogForm, SessionForm, WeekFilterForm
from tracker.htmx import (
    SESSIONS_SHOWN,
    HtmxHttpRequest,
    announce_sessions_changed,
    render_page_or_target,
    wants_partial,
)
from tracker.models import MassageSession, RestWeek, Routine
from tracker.ownership import get_owned_or_404
from tracker.pages import out_of_band, progress_part
from tracker.views.dashboard import recent_sessions
from tracker.views.undo import with_offer

HISTORY_PAGE_SIZE = 20


def owned_session(request: HtmxHttpRequest, pk: int) -> MassageSession:
    return get_owned_or_404(
        MassageSession.objects.select_related("routine").prefetch_related("tools", "products"),
        request.user,
        pk=pk,
    )


def damaged_one_time_id(form: Form) -> JsonResponse | None:
    """A one-time id that is not one: no person typed it, so no form to show it on."""
    if "client_id" not in form.errors:
        return None
    return JsonResponse({"error": form.errors["client_id"][0]}, status=400)


def session_logged(request: HtmxHttpRequest, session: MassageSession) -> HttpResponse:
    """After a log: a status message in place for htmx, a redirect to the dashboard otherwise."""
    if wants_partial(request) and on_dashboard(request):
        return logged_on_dashboard(request, session)
    if wants_partial(request):
        response = TemplateResponse(
            request, "tracker/dashboard.html#log-status", {"logged": session}
        )
        return announce_sessions_changed(response)
    messages.success(request, f"Logged {session.minutes} minute{pluralize(session.minutes)}.")
    return redirect("tracker:dashboard")


def on_dashboard(request: HtmxHttpRequest) -> bool:
    """Sent from the dashboard (not the guided page): its parts are there to be swapped."""
    page = request.htmx.current_url_abs_path or ""
    return urlsplit(page).path == reverse("tracker:dashboard")


def logged_on_dashboard(
    request: HtmxHttpRequest, session: MassageSession, *, from_form: bool = False
) -> HttpResponse:
    """A log answered in one round trip: the status, and (out of band) the week, streak, chart
    and recent sessions as they are now, instead of two refreshes after it."""
    status = render_to_string(
        "tracker/dashboard.html#log-status",
        {"logged": session, "from_form": from_form},
        request=request,
    )
    progress = progress_part(request, request.user.profile, after_change=True)
    recent = render_to_string(
        "tracker/dashboard.html#recent-sessions",
        {"recent_sessions": recent_sessions(request.user)},
        request=request,
    )
    response = HttpResponse(
        status + out_of_band(progress.html, "progress") + out_of_band(recent, "recent-sessions")
    )
    # Not "sessions-changed": the parts that would refresh on it are in this answer already.
    return trigger_client_event(response, SESSIONS_SHOWN, {"target": "body"})


@require_POST
@login_required
def log_from_routine(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Log a session done now with a saved routine: as saved (one tap), or as guided."""
    routine = get_owned_or_404(
        Routine.objects.prefetch_related("steps", "products"), request.user, pk=pk
    )
    form = RoutineLogForm(request.POST, routine=routine)
    if not form.is_valid():
        if refusal := damaged_one_time_id(form):
            return refusal
        if not wants_partial(request) and form.errors.keys() <= GUIDED_FIELDS:
            return log_refused(request, routine, form)
        # One sentence: a log saved offline shows it to the person as the reason it failed.
        return JsonResponse({"error": next(iter(form.errors.values()))[0]}, status=400)
    session = MassageSession.log_routine(routine, request.user, **form.log_arguments())
    return session_logged(request, session)


# What a guided session adds to a one-tap log; refused, the guide's page says why.
GUIDED_FIELDS = {"minutes", "steps", "__all__"}


def log_refused(request: HtmxHttpRequest, routine: Routine, form: Form) -> HttpResponse:
    """Nothing logged: back on the guided page, with the reason."""
    reason = "Nothing was logged: " + " ".join(
        error for errors in form.errors.values() for error in errors
    )
    messages.error(request, reason)
    return redirect("tracker:routine-guide", pk=routine.pk)


@require_http_methods(["GET", "POST"])
@login_required
def session_new(request: HtmxHttpRequest) -> HttpResponse:
    """The full form, for anything a one-tap log does not say (or a past session)."""
    initial = routine_initial(request)
    if (
        request.method == "GET"
        and wants_partial(request)
        and request.htmx.target == "routine-steps"
    ):
        if initial is None:
            # "No routine": what is ticked stays as it is.
            return HttpResponse(status=204)
        return TemplateResponse(
            request,
            "tracker/session_form.html#routine-steps",
            {
                "form": SessionForm(user=request.user, initial=initial),
                "filled_from": initial["routine"],
            },
        )
    form = SessionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        if refusal := damaged_one_time_id(form):
            return refusal
        if form.is_valid():
            session = MassageSession.objects.log(request.user, **form.cleaned_data)
            if not wants_partial(request):
                return session_logged(request, session)
            if on_dashboard(request):
                return logged_from_dashboard_form(request, session)
            context = {"form": SessionForm(user=request.user), "logged": session}
            response = TemplateResponse(request, "tracker/session_form.html#session-form", context)
            return announce_sessions_changed(response)
    return render_page_or_target(
        request, "tracker/session_form.html", {"form": form}, {"session-form"}
    )


def routine_initial(request: HtmxHttpRequest) -> dict | None:
    """The form as a routine fills it (`?routine=`): its minutes and its steps."""
    pk = request.GET.get("routine", "")
    routine = (
        Routine.objects.for_user(request.user).prefetch_related("steps").filter(pk=pk).first()
        if pk.isdigit()
        else None
    )
    if routine is None:
        return None
    return {
        "routine": routine,
        "minutes": routine.minutes(),
        "steps_from_routine": routine.pk,
        **routine.step_details(),
    }


def logged_from_dashboard_form(request: HtmxHttpRequest, session: MassageSession) -> HttpResponse:
    """The detailed form folds away; the log is announced, with its Undo, where a one-tap log's
    is, and takes the focus there (the form may have been far down the page)."""
    response = logged_on_dashboard(request, session, from_form=True)
    response.headers["HX-Retarget"] = "#log-status"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def session_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Correct a logged session; in a list, the row turns into the form and back."""
    session = owned_session(request, pk)
    # Ids of its own: inline, this form shares the page with the dashboard's log form.
    form = SessionForm(
        request.POST or None, instance=session, user=request.user, auto_id=f"id_session{pk}_%s"
    )
    if request.method == "POST" and form.is_valid():
        session.edit(**form.cleaned_data)
        if wants_partial(request):
            response = TemplateResponse(
                request, "tracker/history.html#session-row", {"session": session}
            )
            return announce_sessions_changed(response)
        messages.success(request, "Session updated.")
        return redirect("tracker:history")
    if wants_partial(request):
        context = {"form": form, "session": session, "inline_edit": True}
        return TemplateResponse(request, "tracker/history.html#session-edit-row", context)
    return TemplateResponse(
        request, "tracker/session_form.html", {"form": form, "session": session}
    )


@require_GET
@login_required
def session_detail(request: HtmxHttpRequest, pk: int) -> TemplateResponse:
    """One session; for htmx, its row in a list (used to cancel an edit)."""
    session = owned_session(request, pk)
    template = (
        "tracker/history.html#session-row"
        if wants_partial(request)
        else "tracker/session_detail.html"
    )
    return TemplateResponse(request, template, {"session": session})


@require_http_methods(["GET", "POST"])
@login_required
def session_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Delete a session at once, with an Undo for 30 seconds (a page asks first on a GET)."""
    session = owned_session(request, pk)
    if request.method == "GET":
        return TemplateResponse(request, "tracker/session_delete.html", {"session": session})
    when = f"{timezone.localtime(session.performed_at):%a %-d %b, %H:%M}"
    offer = undo.session_removed(request.user, session.remove(), when)
    if wants_partial(request) and request.htmx.target == "log-status":
        # Undoing a one-tap log: say so where the log was announced.
        response = TemplateResponse(request, "tracker/dashboard.html#log-status", {"undone": True})
    elif wants_partial(request):
        response = HttpResponse("")
    else:
        response = redirect("tracker:history")
    return with_offer(request, announce_sessions_changed(response), offer)


@require_GET
@login_required
def history(request: HtmxHttpRequest) -> TemplateResponse:
    """Every session, newest first, a page at a time, optionally one week only."""
    sessions = MassageSession.objects.for_user(request.user).newest_first()
    week_filter, week_start = WeekFilterForm(request.GET), None
    if not week_filter.is_valid():
        messages.error(request, f"{week_filter.errors['week'][0]} Showing every session.")
    elif day := week_filter.cleaned_data["week"]:
        week_start = request.user.profile.week_start_of(day)
        sessions = sessions.in_week(week_start)
    week_value = week_start.isoformat() if week_start else ""

    def render_list(extra: dict) -> str:
        page = Paginator(sessions.for_list(), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        # One query more, for one week only: a rest week is not a week of nothing logged.
        rest_week = (
            bool(week_start)
            and RestWeek.objects.for_user(request.user).filter(week_start=week_start).exists()
        )
        context = {
            "page": page,
            "week_start": week_start,
            "week_value": week_value,
            "rest_week": rest_week,
            **extra,
        }
        return render_to_string("tracker/history.html#session-list", context, request=request)

    # From the pages cache until the person's data, their day or the address changes.
    session_list = pages.session_list(request, request.user.profile, render_list)
    if wants_partial(request) and request.htmx.target == "session-list":
        return HttpResponse(session_list)
    context = {"session_list": session_list, "week_start": week_start, "week_value": week_value}
    return TemplateResponse(request, "tracker/history.html", context)
