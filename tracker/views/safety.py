"""Is it safe for me: the "before you start" check, the reaction after a session with its
advice, and the products that need care (patch test, pause)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tracker import guidance
from tracker.forms import HealthCheckForm, ReactionForm
from tracker.htmx import HtmxHttpRequest, wants_partial
from tracker.models import HealthCheck, MassageSession, Product
from tracker.ownership import get_owned_or_404
from tracker.reactions import advice_for


def back_to(request: HtmxHttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on (its `next`), if that is one of ours."""
    target = request.POST.get("next", "")
    # A path only: redirect() would read anything else as the name of a view ("0" is not one).
    local = target.startswith("/")
    if local and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_http_methods(["GET", "POST"])
@login_required
def session_reaction(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Record how the skin reacted to a session of the last 7 days, and answer with advice.

    A GET brings the buttons (a list's row loads them when opened), or without htmx the
    session's page, which has them.
    """
    session = get_owned_or_404(MassageSession, request.user, pk=pk)
    if request.method == "GET":
        if wants_partial(request):
            return TemplateResponse(
                request, "tracker/dashboard.html#reaction-box", {"session": session}
            )
        return redirect("tracker:session-detail", pk=session.pk)
    profile = request.user.profile
    form = ReactionForm(request.POST, session=session, today=profile.today())
    if form.is_valid():
        session.record_reaction(form.cleaned_data["reaction"])
    if wants_partial(request):
        context = {
            "session": session,
            "recorded": form.is_valid(),
            "advice": advice_for(session, profile) if form.is_valid() else None,
            "reaction_error": " ".join(form.non_field_errors() + form["reaction"].errors),
        }
        return TemplateResponse(request, "tracker/dashboard.html#reaction-box", context)
    if form.is_valid():
        messages.success(request, f"Recorded: {session.get_reaction_display().lower()}.")
    else:
        messages.error(request, " ".join(form.non_field_errors() + form["reaction"].errors))
    # The advice waits on the dashboard until the next session.
    return redirect("tracker:dashboard")


@require_POST
@login_required
def patch_test_start(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Start a product's patch test today (7 to 10 days on the arm, then 48 hours)."""
    product = get_owned_or_404(Product, request.user, pk=pk)
    product.start_patch_test(request.user.profile.today())
    if wants_partial(request):
        context = {"product": product}
        return TemplateResponse(request, "tracker/gear_list.html#patch-test-warning", context)
    messages.success(
        request,
        f"Patch test of “{product.name}” started today: twice a day on your inner arm for 7 to "
        "10 days, then watch 48 hours.",
    )
    return back_to(request, "tracker:gear")


@require_POST
@login_required
def product_pause(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Pause a product to see whether the skin settles without it."""
    product = get_owned_or_404(Product, request.user, pk=pk)
    product.pause(request.user.profile.today())
    messages.success(request, f"“{product.name}” is paused: it stays out of one-tap logs.")
    return back_to(request, "tracker:dashboard")


@require_POST
@login_required
def product_resume(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Use a paused product again."""
    product = get_owned_or_404(Product, request.user, pk=pk)
    product.resume()
    messages.success(request, f"“{product.name}” is in use again.")
    return back_to(request, "tracker:gear")


# Health answers: no browser cache or service worker keeps the page (as photos).
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def health_check(request: HtmxHttpRequest) -> HttpResponse:
    """The "before you start" check: advice that fits, and the answers kept only if agreed."""
    stored = HealthCheck.objects.for_user(request.user).first()
    initial = {"conditions": stored.conditions, "agree": True} if stored else {}
    form = HealthCheckForm(request.POST or None, initial=initial)
    answers = stored.conditions if stored else []
    if request.method == "POST" and form.is_valid():
        answers = form.cleaned_data["conditions"]
        if form.cleaned_data["agree"]:
            HealthCheck.objects.record(request.user, answers, agreed_at=timezone.now())
            messages.success(request, "Saved. The advice you see now follows your answers.")
            return redirect("tracker:health-check")
        kept = " Your earlier answers stay until you delete them." if stored else ""
        messages.info(request, "Not kept: here is the advice for these answers, once." + kept)
    context = {
        "form": form,
        "stored": stored,
        "answered": request.method == "POST" or stored is not None,
        "advice": [guidance.HEALTH[key] for key in answers],
    }
    return TemplateResponse(request, "tracker/health_check.html", context)


@require_POST
@login_required
def health_check_delete(request: HtmxHttpRequest) -> HttpResponse:
    """Delete the stored answers of the "before you start" check."""
    HealthCheck.objects.forget(request.user)
    messages.success(request, "Your answers are deleted; the advice is the general kind again.")
    return redirect("tracker:health-check")
