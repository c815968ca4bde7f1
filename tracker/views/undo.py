"""Undo: the offers shown after an action, and the one URL that carries an Undo out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from tracker import undo
from tracker.htmx import HtmxHttpRequest, wants_partial


def with_offer(request: HtmxHttpRequest, response: HttpResponse, offer: undo.Offer):
    """Show `offer` in the page's undo area: on the page a redirect leads to, or, after an
    htmx request, fetched by the undo area itself once told (an event on <body> reaches it
    even when the element that asked has been replaced meanwhile)."""
    undo.stash(request.session, offer)
    if wants_partial(request):
        trigger_client_event(response, undo.OFFERED, {"target": "body"})
    return response


@require_GET
@login_required
def undo_offer(request: HtmxHttpRequest) -> TemplateResponse:
    """The offer the last action left, once (the undo area asks for it)."""
    offer = undo.take_stashed(request.session)
    return TemplateResponse(request, "tracker/undo.html#undo-offer", {"offer": offer})


def safe_next(request: HtmxHttpRequest) -> str:
    """The page the Undo was on: a path of this site's, or else the dashboard."""
    target = request.POST.get("next", "")
    # A path, never a bare word (redirect() would take it for a view's name) nor anything a
    # header cannot carry.
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return reverse("tracker:dashboard")


@require_POST
@login_required
def undo_action(request: HtmxHttpRequest) -> HttpResponse:
    """Undo what the token says (for 30 seconds after it was given), then say what happened."""
    try:
        outcome = undo.carry_out(request.user, request.POST.get("token", ""))
    except undo.NotYours:
        raise Http404 from None
    except undo.UndoRefused as refusal:
        outcome, error = undo.Outcome(str(refusal)), True
    else:
        error = False
    if not wants_partial(request):
        (messages.error if error else messages.success)(request, outcome.message)
        response = redirect(safe_next(request))
        return with_offer(request, response, outcome.offer) if outcome.offer else response
    offer = outcome.offer or undo.Offer(outcome.message, token="", seconds=8, error=error)
    response = TemplateResponse(request, "tracker/undo.html#undo-offer", {"offer": offer})
    for event in sorted(outcome.events):
        trigger_client_event(response, event, {"target": "body"})
    return response
