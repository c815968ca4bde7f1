"""One change at a time: start an experiment, follow it, end it, read its comparison.

An experiment's page shows photos: it is `never_cache` (no-store), like every photo page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tracker import experiments as windows
from tracker.comparisons import shown_pair
from tracker.forms import ExperimentEndForm, ExperimentForm
from tracker.htmx import HtmxHttpRequest
from tracker.models import Experiment, ExperimentRunning, PhotoComparison
from tracker.ownership import get_owned_or_404


@require_http_methods(["GET", "POST"])
@login_required
def experiment_list(request: HtmxHttpRequest) -> HttpResponse:
    """The experiment running now, the ones ended, and the form to start the next one."""
    user, today = request.user, request.user.profile.today()
    form = ExperimentForm(request.POST or None, user=user, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            experiment = Experiment.objects.start(user, today, **form.cleaned_data)
        except ExperimentRunning as running:
            form.add_error(None, str(running))
        else:
            messages.success(request, f"Experiment started: {experiment.subject}.")
            return redirect("tracker:experiment-detail", pk=experiment.pk)
    experiments = list(Experiment.objects.for_user(user))
    context = {
        "form": form,
        "today": today,
        "open": [e for e in experiments if e.status(today) != "ended"],
        "ended": [e for e in experiments if e.status(today) == "ended"],
        "default_weeks": windows.DEFAULT_WEEKS,
    }
    return TemplateResponse(request, "tracker/experiment_list.html", context)


def detail_context(request: HtmxHttpRequest, experiment: Experiment, end_form=None) -> dict:
    profile = request.user.profile
    today = profile.today()
    result = experiment.result(today, profile.zone)
    pair = result.photo_pair
    return {
        "experiment": experiment,
        "today": today,
        "status": experiment.status(today),
        "result": result,
        "shown": shown_pair(PhotoComparison.of(*pair, profile.zone)) if pair else None,
        "end_form": end_form or ExperimentEndForm(experiment=experiment, today=today),
        "min_sessions": windows.MIN_SESSIONS,
        "min_weeks": windows.MIN_DAYS // 7,
    }


@never_cache
@require_http_methods(["GET"])
@login_required
def experiment_detail(request: HtmxHttpRequest, pk: int) -> TemplateResponse:
    """Week N of the experiment while it runs; its comparison with the weeks before, after."""
    experiment = get_owned_or_404(Experiment, request.user, pk=pk)
    context = detail_context(request, experiment)
    return TemplateResponse(request, "tracker/experiment_detail.html", context)


@never_cache
@require_POST
@login_required
def experiment_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """End an experiment on a day (today by default), and read its comparison."""
    experiment = get_owned_or_404(Experiment, request.user, pk=pk)
    form = ExperimentEndForm(
        request.POST, experiment=experiment, today=request.user.profile.today()
    )
    if form.is_valid():
        experiment.end(form.cleaned_data["ended_on"])
        messages.success(request, "Experiment ended: here is how it compares.")
        return redirect("tracker:experiment-detail", pk=experiment.pk)
    context = detail_context(request, experiment, end_form=form)
    return TemplateResponse(request, "tracker/experiment_detail.html", context)


@require_POST
@login_required
def experiment_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Delete an experiment (its sessions and photos stay)."""
    experiment = get_owned_or_404(Experiment, request.user, pk=pk)
    experiment.remove()
    messages.success(request, "Experiment deleted. Its sessions and photos are kept.")
    return redirect("tracker:experiments")
