import tempfile

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tracker import undo
from tracker.forms import AccountDeleteForm, ImportArchiveForm, LoopImportForm
from tracker.portability import (
    ImportRefused,
    export_zip,
    import_loop_csv,
    import_zip,
)
from tracker.views.undo import with_offer

# An export bigger than this spills from memory into a temporary file while it is built.
EXPORT_IN_MEMORY_BYTES = 8 * 1024 * 1024


@require_GET
@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    """Everything stored for you, as one ZIP file to keep: data, a CSV of sessions, photos."""
    # FileResponse closes the file once it has been sent.
    spool = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY_BYTES)  # noqa: SIM115
    export_zip(request.user, spool)
    spool.seek(0)
    filename = f"facetrack-export-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/zip"
    )
    # Face photos and skin notes: never in a shared cache, nor kept by the browser.
    response["Cache-Control"] = "private, no-store"
    return response


def run_import(
    request: HttpRequest, form_class, field: str, importer, which: str, done: str
) -> HttpResponse:
    """The import form, or the import of its file: refusals land on the form, as errors."""
    if request.method != "POST":
        return render_import(request, form_class(), which)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = importer(request.user, form.cleaned_data[field])
        except ImportRefused as refusal:
            form.add_error(field, str(refusal))
        else:
            messages.success(request, result.summary())
            if not result.session_ids:
                return redirect(done)
            offer = undo.sessions_imported(request.user, result.session_ids)
            return with_offer(request, redirect(done), offer)
    return render_import(request, form, which)


@require_http_methods(["GET", "POST"])
@login_required
def data_import(request: HttpRequest) -> HttpResponse:
    """Restore a Facetrack export into this account, while it is new and empty."""
    return run_import(
        request, ImportArchiveForm, "archive", import_zip, "archive", "tracker:dashboard"
    )


@require_http_methods(["GET", "POST"])
@login_required
def data_import_loop(request: HttpRequest) -> HttpResponse:
    """Bring in a habit's history from Loop Habit Tracker: each day checked becomes a session."""
    return run_import(
        request, LoopImportForm, "checkmarks", import_loop_csv, "loop", "tracker:history"
    )


def render_import(request: HttpRequest, form, kind: str) -> TemplateResponse:
    action = "tracker:data-import" if kind == "archive" else "tracker:data-import-loop"
    context = {"form": form, "kind": kind, "action": action}
    return TemplateResponse(request, "tracker/data_import.html", context)


def has_no_password(request: HttpRequest) -> bool:
    return not request.user.has_usable_password()


@require_http_methods(["GET", "POST"])
@login_required
# Without a password to type, a passkey or an emailed code confirms it's you, just before.
@reauthentication_required(app="allauth.account", enabled=has_no_password)
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete your account and everything in it, once your password confirms it."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        request.user.profile.delete_account()
        logout(request)
        messages.success(request, "Your account and everything in it have been deleted.")
        response = redirect("login")
        # Not "cookies": the message above travels in one, and the session is already gone.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
    return TemplateResponse(request, "tracker/account_delete.html", {"form": form})
