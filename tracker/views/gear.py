"""Tools and products: the same small list / add / edit / delete for both."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.forms import ProductForm, ToolForm
from tracker.htmx import HtmxHttpRequest
from tracker.models import Product, Tool
from tracker.ownership import get_owned_or_404

KINDS: dict[str, tuple[type, type[ModelForm]]] = {
    "tools": (Tool, ToolForm),
    "products": (Product, ProductForm),
}


@require_GET
@login_required
def gear_list(request: HtmxHttpRequest) -> TemplateResponse:
    """The user's tools and products, with hygiene and patch-test reminders."""
    context = {
        "tools": Tool.objects.for_user(request.user),
        "products": Product.objects.for_user(request.user),
        "today": request.user.profile.today(),
    }
    return TemplateResponse(request, "tracker/gear_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def gear_edit(request: HtmxHttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Add a tool or product, or edit one."""
    model, form_class = KINDS[kind]
    instance = get_owned_or_404(model, request.user, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        if instance:
            item = instance.edit(**form.cleaned_data)
        else:
            item = model.objects.add_for(request.user, **form.cleaned_data)
        messages.success(request, f"Saved “{item}”.")
        return redirect("tracker:gear")
    context = {"form": form, "item": instance, "kind": kind, "noun": model._meta.verbose_name}
    return TemplateResponse(request, "tracker/gear_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def gear_delete(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    """Delete a tool or product after confirmation."""
    model, _ = KINDS[kind]
    item = get_owned_or_404(model, request.user, pk=pk)
    if request.method == "POST":
        item.remove()
        messages.success(request, f"Deleted “{item}”.")
        return redirect("tracker:gear")
    context = {"item": item, "kind": kind, "noun": model._meta.verbose_name}
    return TemplateResponse(request, "tracker/gear_delete.html", context)


@require_POST
@login_required
def tool_cleaned(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Record that a tool was cleaned today."""
    tool = get_owned_or_404(Tool, request.user, pk=pk)
    tool.mark_cleaned(request.user.profile.today())
    messages.success(request, f"“{tool}” cleaned today.")
    return redirect("tracker:gear")
