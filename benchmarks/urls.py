"""The app's URLs, plus the benchmark's floor: the cheapest logged-in page there can be."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as app_urlpatterns

FLOOR_PATH = "/bench/floor/"


@require_GET
@login_required
def floor(request: HttpRequest) -> TemplateResponse:
    """The base template and nothing else: only the session, user and profile queries."""
    return TemplateResponse(request, "base.html", {})


# Last, so the app's own URLs resolve exactly as they do in production.
urlpatterns = [*app_urlpatterns, path(FLOOR_PATH.strip("/") + "/", floor, name="bench-floor")]
