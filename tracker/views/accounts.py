from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from tracker.forms import ProfileForm, RestWeekForm
from tracker.htmx import HtmxHttpRequest
from tracker.models import RestWeek
from tracker.ownership import get_owned_or_404


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
    return TemplateResponse(request, "tracker/profile.html", context)


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
    context = {
        "form": ProfileForm(instance=request.user.profile),
        "rest_form": form,
        "rest_weeks": RestWeek.objects.for_user(request.user),
    }
    return TemplateResponse(request, "tracker/profile.html", context)


@require_POST
@login_required
def rest_week_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Count a rest week as an ordinary week again."""
    get_owned_or_404(RestWeek, request.user, pk=pk).remove()
    messages.success(request, "Rest week removed.")
    return redirect("tracker:profile")
