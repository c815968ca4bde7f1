from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker import undo
from tracker.forms import RoutineForm, StepForm
from tracker.htmx import HtmxHttpRequest, render_page_or_target, wants_partial
from tracker.models import HealthCheck, Routine, RoutineStep
from tracker.ownership import get_owned_or_404
from tracker.starters import STARTERS, STARTERS_BY_SLUG, copy_starter
from tracker.views.undo import with_offer


def owned_routine(request: HtmxHttpRequest, pk: int) -> Routine:
    return get_owned_or_404(Routine.objects.prefetch_related("products"), request.user, pk=pk)


def numbered(steps: Iterable[RoutineStep]) -> list[RoutineStep]:
    """Steps with their place in the routine, for rows drawn one at a time as well as all."""
    steps = list(steps)
    for index, step in enumerate(steps):
        step.number, step.is_first, step.is_last = index + 1, index == 0, index == len(steps) - 1
    return steps


def steps_context(request: HtmxHttpRequest, routine: Routine, step_form=None) -> dict:
    return {
        "routine": routine,
        "steps": numbered(routine.steps.select_related("tool")),
        "step_form": step_form or StepForm(user=request.user),
    }


def steps_response(request: HtmxHttpRequest, routine: Routine, step_form=None) -> HttpResponse:
    """The routine's steps partial for htmx, the routine page otherwise."""
    if not wants_partial(request):
        return redirect("tracker:routine-detail", pk=routine.pk)
    context = steps_context(request, routine, step_form)
    return TemplateResponse(request, "tracker/routine_detail.html#steps", context)


@require_GET
@login_required
def routine_list(request: HtmxHttpRequest) -> TemplateResponse:
    """The user's routines, and the starter routines they can copy."""
    routines = Routine.objects.for_user(request.user).prefetch_related("steps")
    return TemplateResponse(
        request, "tracker/routine_list.html", {"routines": routines, "starters": STARTERS}
    )


@require_POST
@login_required
def routine_copy_starter(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Copy a starter routine into the user's own routines, ready to edit."""
    starter = STARTERS_BY_SLUG.get(slug)
    if starter is None:
        raise Http404("No such starter routine")
    routine = copy_starter(starter, request.user)
    messages.success(request, f"“{routine.name}” is now one of your routines. Make it yours.")
    return redirect("tracker:routine-detail", pk=routine.pk)


@require_http_methods(["GET", "POST"])
@login_required
def routine_new(request: HtmxHttpRequest) -> HttpResponse:
    """Create an empty routine, then add its steps."""
    form = RoutineForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        routine = Routine.objects.add_for(request.user, **form.cleaned_data)
        return redirect("tracker:routine-detail", pk=routine.pk)
    return TemplateResponse(request, "tracker/routine_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def routine_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A routine: its name and products, and its steps to add, reorder or remove."""
    routine = owned_routine(request, pk)
    form = RoutineForm(request.POST or None, instance=routine, user=request.user)
    if request.method == "POST" and form.is_valid():
        routine.edit(**form.cleaned_data)
        messages.success(request, "Routine saved.")
        return redirect("tracker:routine-detail", pk=routine.pk)
    context = steps_context(request, routine) | {"form": form}
    # The steps alone when they refresh themselves (after an Undo).
    return render_page_or_target(request, "tracker/routine_detail.html", context, {"steps"})


@require_GET
@login_required
def routine_guide(request: HtmxHttpRequest, pk: int) -> TemplateResponse:
    """Do the routine step by step with a countdown, then log it in one tap."""
    routine = get_owned_or_404(
        Routine.objects.prefetch_related(
            Prefetch("steps", queryset=RoutineStep.objects.select_related("tool"))
        ),
        request.user,
        pk=pk,
    )
    context = {
        "routine": routine,
        "steps": routine.steps.all(),
        "health_check": HealthCheck.objects.for_user(request.user).first(),
    }
    return TemplateResponse(request, "tracker/routine_guide.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def routine_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Delete a routine; sessions logged with it keep their details."""
    routine = owned_routine(request, pk)
    if request.method == "POST":
        routine.remove()
        messages.success(request, f"Deleted “{routine.name}”.")
        return redirect("tracker:routine-list")
    return TemplateResponse(request, "tracker/routine_delete.html", {"routine": routine})


@require_POST
@login_required
def step_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Add a step at the end of the routine."""
    routine = owned_routine(request, pk)
    form = StepForm(request.POST, user=request.user, routine=routine)
    if not form.is_valid():
        if not wants_partial(request):
            messages.error(request, "The step was not added: " + form.errors.as_text())
        return steps_response(request, routine, step_form=form)
    routine.append_step(**form.cleaned_data)
    return steps_response(request, routine)


def owned_step(request: HtmxHttpRequest, pk: int) -> RoutineStep:
    return get_owned_or_404(RoutineStep.objects.select_related("routine"), request.user, pk=pk)


def numbered_step(step: RoutineStep) -> RoutineStep:
    """The step with its place in the routine (see numbered)."""
    return next(s for s in numbered(step.routine.steps.select_related("tool")) if s.pk == step.pk)


@require_GET
@login_required
def step_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A step's row (to cancel an edit in place); without htmx, the routine at that step."""
    step = owned_step(request, pk)
    if not wants_partial(request):
        return redirect(f"{reverse('tracker:routine-detail', args=[step.routine_id])}#step-{pk}")
    context = {"step": numbered_step(step), "routine": step.routine}
    return TemplateResponse(request, "tracker/routine_detail.html#step-row", context)


@require_http_methods(["GET", "POST"])
@login_required
def step_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Change a step in place: its row turns into a form and back (a page of its own without
    JavaScript)."""
    step = owned_step(request, pk)
    form = StepForm(
        request.POST or None, instance=step, user=request.user, auto_id=f"id_step{pk}_%s"
    )
    if request.method == "POST" and form.is_valid():
        step.edit(**form.cleaned_data)
        if not wants_partial(request):
            messages.success(request, "Step saved.")
            return redirect(
                f"{reverse('tracker:routine-detail', args=[step.routine_id])}#step-{pk}"
            )
        context = {"step": numbered_step(step), "routine": step.routine}
        return TemplateResponse(request, "tracker/routine_detail.html#step-row", context)
    context = {"step": numbered_step(step), "routine": step.routine, "edit_form": form}
    template = (
        "tracker/routine_detail.html#step-edit-row"
        if wants_partial(request)
        else ("tracker/step_edit.html")
    )
    return TemplateResponse(request, template, context)


@require_POST
@login_required
def step_move(request: HtmxHttpRequest, pk: int, direction: str) -> HttpResponse:
    """Swap a step with its neighbour above or below."""
    step = owned_step(request, pk)
    step.move(direction)
    return steps_response(request, step.routine)


@require_POST
@login_required
def step_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Remove a step from its routine, with an Undo for 30 seconds."""
    step = owned_step(request, pk)
    number, name = step.order + 1, str(step)
    offer = undo.step_removed(request.user, step.remove(), number, name)
    return with_offer(request, steps_response(request, step.routine), offer)
