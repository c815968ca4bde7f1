from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from tracker import undo
from tracker.forms import ProfileForm, RestWeekForm, SignupForm
from tracker.htmx import HtmxHttpRequest, render_page_or_target, wants_partial
from tracker.models import Profile, RestWeek
from tracker.ownership import get_owned_or_404
from tracker.views.undo import with_offer


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    """Create an account and go straight to the dashboard."""
    if request.user.is_authenticated:
        return redirect("tracker:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = Profile.objects.create_account(
            data["username"], data["password1"], timezone=data["timezone"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            "Welcome! Take the short check before you start, copy a starter routine, then log "
            "your first session.",
        )
        return redirect("tracker:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form})


@require_POST
def log_out(request: HtmxHttpRequest) -> HttpResponse:
    """Log out, and ask the browser to forget everything it kept of this site."""
    logout(request)
    response = redirect("login")
    # Face photos and skin notes may sit in the cache of a shared phone or computer.
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HtmxHttpRequest) -> HttpResponse:
    """Time zone, week start, targets, and rest weeks."""
    form = ProfileForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        request.user.profile.change_settings(**form.cleaned_data)
        messages.success(request, "Settings saved.")
        return redirect("tracker:profile")
    context = {
        "form": form,
        "rest_form": RestWeekForm(user=request.user),
        "rest_weeks": RestWeek.objects.for_user(request.user),
    }
    # The rest weeks alone when they refresh themselves (after a removal or an Undo).
    return render_page_or_target(request, "tracker/profile.html", context, {"rest-weeks"})


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
    context = {
        "form": ProfileForm(instance=request.user.profile),
        "rest_form": form,
        "rest_weeks": RestWeek.objects.for_user(request.user),
    }
    return TemplateResponse(request, "tracker/profile.html", context)


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
