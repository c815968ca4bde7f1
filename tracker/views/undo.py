"""Undo: the offers shown after an action, and the one URL that carries an Undo out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from tracker import undo
from tracker.htmx import HtmxHttpRequest, wants_partial


def with_offer(request: HtmxHttpRequest, response: HttpResponse, offer: undo.Offer):
    """Show `offer` in the page's undo area: swapped in beside an htmx answer, or on the page
    a redirect leads to."""
    if not wants_partial(request):
        undo.stash(request.session, offer)
        return response
    html = render_to_string("tracker/undo.html#undo-oob", {"offer": offer}, request=request)

    def add(rendered: HttpResponse) -> None:
        rendered.content += html.encode()

    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.add_post_render_callback(add)
    else:
        add(response)
    return response


def safe_next(request: HtmxHttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "tracker:dashboard"


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
