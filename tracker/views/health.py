from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tracker.health import run_checks


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 while every part of the app is alive, 503 otherwise; each check in a small JSON."""
    checks = run_checks()
    ok = all(check.ok for check in checks)
    body = {
        "status": "ok" if ok else "failing",
        "checks": {check.name: check.as_json() for check in checks},
    }
    return JsonResponse(body, status=200 if ok else 503)
