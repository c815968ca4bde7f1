"""The app's URLs, plus the benchmark's floor: the cheapest logged-in page there can be."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as app_urlpatterns
from tracker.models import Profile
from tracker.views.dashboard import dashboard

FLOOR_PATH = "/bench/floor/"
AFTER_CHANGE_PATH = "/bench/dashboard-after-change/"


@require_GET
@login_required
def floor(request: HttpRequest) -> TemplateResponse:
    """The base template and nothing else: only the session, user and profile queries."""
    return TemplateResponse(request, "base.html", {})


@require_GET
@login_required
def dashboard_after_change(request: HttpRequest) -> HttpResponse:
    """The dashboard right after a change: the data version moves on (one UPDATE, as the
    database's triggers do after any write), so the progress part is counted afresh."""
    Profile.objects.filter(user=request.user).update(data_version=F("data_version") + 1)
    request.user.profile.fresh_data_version()
    return dashboard(request)


# Last, so the app's own URLs resolve exactly as they do in production.
urlpatterns = [
    *app_urlpatterns,
    path(FLOOR_PATH.strip("/") + "/", floor, name="bench-floor"),
    path(AFTER_CHANGE_PATH.strip("/") + "/", dashboard_after_change, name="bench-after-change"),
]
