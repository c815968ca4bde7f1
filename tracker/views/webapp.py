"""The installable app: its manifest, its service worker, and what an offline log needs."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.http import condition, require_GET

from tracker import webapp


def current_version(request: HttpRequest) -> str:
    return webapp.version()


# Public, like any app's manifest and worker: the browser fetches the manifest without
# cookies, and an expired session must not stop the worker from updating.
@require_GET
@condition(etag_func=current_version)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: names, colours, icons and shortcuts for the home screen."""
    response = JsonResponse(webapp.manifest(), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@condition(etag_func=current_version)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served at the root so that it controls every page of the site."""
    response = HttpResponse(webapp.worker_script(), content_type="text/javascript; charset=utf-8")
    # Checked on every visit: a deploy's new worker replaces the old one at once.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_identity(request: HttpRequest) -> JsonResponse:
    """Who is logged in here, and a fresh CSRF token: asked before a saved log is sent."""
    user = request.user
    response = JsonResponse(
        {
            "user": str(user.pk) if user.is_authenticated else None,
            "csrf_token": get_token(request),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
