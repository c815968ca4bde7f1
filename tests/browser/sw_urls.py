"""The app's URLs plus a minimal service worker at /sw.js, for the push tests only.

The app's own worker arrives with the installable app (static/js/sw.js served at /sw.js, which
loads static/js/sw-push.js with importScripts); until it is there, this stands in for it with
nothing but that one line and the immediate activation a test needs.
"""

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import include, path

WORKER = """
importScripts("%s");
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
"""


def service_worker(request):
    response = HttpResponse(WORKER % static("js/sw-push.js"), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


urlpatterns = [
    path("sw.js", service_worker),
    path("", include("config.urls")),
]
