from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

SESSIONS_CHANGED = "sessions-changed"
# Sessions changed, and the answer carries the changed parts already (out of band): nothing
# needs to refresh, but the page is no longer the one it loaded as (static/js/offline.js).
SESSIONS_SHOWN = "sessions-shown"


class HtmxHttpRequest(HttpRequest):
    """A request as HtmxMiddleware leaves it (django-htmx's documented typing pattern)."""

    htmx: HtmxDetails


def wants_partial(request: HtmxHttpRequest) -> bool:
    """An htmx swap, not a history restore (which must get the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page_or_target(
    request: HtmxHttpRequest, template: str, context: dict, partials: set[str], status: int = 200
) -> TemplateResponse:
    """The whole page, or only the named partial that an htmx request targets."""
    target = request.htmx.target if wants_partial(request) else None
    if target in partials:
        template = f"{template}#{target}"
    return TemplateResponse(request, template, context, status=status)


def announce_sessions_changed(response: HttpResponse) -> HttpResponse:
    """Tell every listening part of the page (week summary, chart, lists) to refresh itself."""
    # Fired on <body>, not on the element that asked: a refresh may have replaced that one
    # meanwhile, and an event on a detached element reaches no listener.
    return trigger_client_event(response, SESSIONS_CHANGED, {"target": "body"})
