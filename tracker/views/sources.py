from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from tracker import guidance


@require_GET
def sources(request: HttpRequest) -> TemplateResponse:
    """The studies and guides behind every piece of advice, with what a reader needs to weigh
    them (open to anyone: nothing here is personal)."""
    intros = {guidance.sources.DEVICES: guidance.DEVICES}
    context = {
        "sections": [(name, items, intros.get(name)) for name, items in guidance.by_section()],
        "not_claimed": guidance.NOT_CLAIMED,
    }
    return TemplateResponse(request, "tracker/sources.html", context)
