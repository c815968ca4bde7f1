"""Progress photos: upload, gallery, edit, delete, compare, and private serving of the files.

Every photo page is `never_cache` (no-store): no browser cache or service worker keeps it.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from tracker.comparisons import shown_pair
from tracker.forms import EyeMarksForm, PhotoForm, PhotoUploadForm
from tracker.htmx import HtmxHttpRequest, render_page_or_target, wants_partial
from tracker.intervals import days_between
from tracker.models import PhotoComparison, PhotoQuotaFull, ProgressPhoto
from tracker.ownership import get_owned_or_404, login_or_404

PHOTOS_CHANGED = "photos-changed"
Angle = ProgressPhoto.Angle


def private_file(file: FieldFile) -> HttpResponse:
    """A stored photo's bytes for its owner's browser only, kept out of every shared cache."""
    if prefix := settings.PHOTOS_X_ACCEL_PREFIX:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(file.name)}"
    elif getattr(file.storage, "querystring_auth", False):
        # django-storages' S3 backend: a private bucket and a URL that expires in seconds.
        url = file.storage.url(file.name, expire=settings.PHOTOS_SIGNED_URL_SECONDS)
        response = HttpResponseRedirect(url)
    else:
        try:
            response = FileResponse(file.open("rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404 from None
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def requested_pk(request: HtmxHttpRequest, name: str) -> int:
    try:
        return int(request.GET[name])
    except (KeyError, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class Timeline:
    angle: str
    label: str
    # Each photo with the calendar days since the first photo of this angle.
    entries: list[tuple[ProgressPhoto, int]]


def timelines(photos: list[ProgressPhoto], zone: ZoneInfo) -> list[Timeline]:
    """Photos grouped by angle (in the order of the choices), each group oldest first."""
    by_angle: dict[str, list[ProgressPhoto]] = {}
    for photo in photos:
        by_angle.setdefault(photo.angle, []).append(photo)
    return [
        Timeline(
            angle,
            label,
            [
                (p, days_between(by_angle[angle][0].taken_at, p.taken_at, zone))
                for p in by_angle[angle]
            ],
        )
        for angle, label in Angle.choices
        if angle in by_angle
    ]


def latest_photo_urls(user) -> str:
    """JSON: for each angle, the latest photo's URL and size (the camera lines the face up with
    it, in a frame of the same proportions)."""
    latest: dict[str, dict] = {}
    rows = ProgressPhoto.objects.for_user(user).order_by("-taken_at", "-pk")
    for angle, pk, width, height in rows.values_list("angle", "pk", "width", "height"):
        if angle not in latest:
            src = reverse("tracker:photo-image", args=[pk])
            latest[angle] = {"src": src, "width": width, "height": height}
    return json.dumps(latest)


@never_cache
@require_GET
@login_required
def gallery(request: HtmxHttpRequest) -> TemplateResponse:
    """Every photo as a timeline per angle, oldest first, or the photos of one angle."""
    photos = ProgressPhoto.objects.for_user(request.user).timeline()
    angle = request.GET.get("angle", "")
    if angle in Angle.values:
        photos = photos.filter(angle=angle)
    else:
        angle = ""
    context = {
        "timelines": timelines(list(photos), request.user.profile.zone),
        "angle": angle,
        "angles": Angle.choices,
    }
    return render_page_or_target(request, "tracker/photo_gallery.html", context, {"photo-gallery"})


def add_photos(form: PhotoUploadForm) -> list[ProgressPhoto]:
    """The form's photos, stored; none, with an error on the form, if the quota filled up."""
    data = form.cleaned_data
    try:
        return ProgressPhoto.objects.add_uploads(
            form.user,
            data["photos"],
            taken_at=data["taken_at"],
            angle=data["angle"],
            timing=data["timing"],
            note=data["note"],
            session=data["session"],
        )
    except PhotoQuotaFull as full:
        form.add_error("photos", str(full))
        return []


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def photo_new(request: HtmxHttpRequest) -> HttpResponse:
    """Upload photos (several at once), or take one with the camera lined up on the last."""
    user = request.user
    if request.method == "POST":
        form = PhotoUploadForm(request.POST, request.FILES, user=user)
        if form.is_valid() and (added := add_photos(form)):
            if wants_partial(request):
                initial = {"angle": form.cleaned_data["angle"]}
                context = {"form": PhotoUploadForm(user=user, initial=initial), "added": added}
                context["overlays"] = latest_photo_urls(user)
                response = TemplateResponse(request, "tracker/photo_new.html#photo-upload", context)
                return trigger_client_event(response, PHOTOS_CHANGED)
            messages.success(request, f"Added {len(added)} photo{'s' * (len(added) != 1)}.")
            return redirect(f"{reverse('tracker:photos')}?angle={added[0].angle}")
    else:
        angle = request.GET.get("angle")
        form = PhotoUploadForm(user=user, initial={"angle": angle} if angle in Angle.values else {})
    context = {"form": form, "overlays": latest_photo_urls(user)}
    return render_page_or_target(request, "tracker/photo_new.html", context, {"photo-upload"})


@never_cache
@require_http_methods(["GET", "POST"])
@login_or_404
def photo_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The photo at full size, and its date, angle, timing, note and session to correct."""
    photo = get_owned_or_404(ProgressPhoto, request.user, pk=pk)
    form = PhotoForm(request.POST or None, instance=photo, user=request.user)
    if request.method == "POST" and form.is_valid():
        photo.edit(**form.cleaned_data)
        messages.success(request, "Photo updated.")
        return redirect(f"{reverse('tracker:photos')}?angle={photo.angle}#photo-{photo.pk}")
    context = {"form": form, "photo": photo, "eyes_form": EyeMarksForm(photo=photo)}
    return TemplateResponse(request, "tracker/photo_edit.html", context)


@never_cache
@require_POST
@login_or_404
def photo_eyes(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Remember the centre of each eye (or forget both), to line this photo up with others."""
    photo = get_owned_or_404(ProgressPhoto, request.user, pk=pk)
    if "forget" in request.POST:
        photo.mark_eyes(None)
        messages.success(request, "The eye marks are forgotten.")
        return redirect("tracker:photo-edit", pk=photo.pk)
    eyes_form = EyeMarksForm(request.POST, photo=photo)
    if eyes_form.is_valid():
        photo.mark_eyes(eyes_form.cleaned_data["eyes"])
        messages.success(request, "Eyes marked: comparisons with this photo are lined up.")
        return redirect("tracker:photo-edit", pk=photo.pk)
    form = PhotoForm(instance=photo, user=request.user)
    context = {"form": form, "photo": photo, "eyes_form": eyes_form}
    return TemplateResponse(request, "tracker/photo_edit.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@login_or_404
def photo_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Delete a photo and its files, after confirmation."""
    photo = get_owned_or_404(ProgressPhoto, request.user, pk=pk)
    if request.method == "GET":
        return TemplateResponse(request, "tracker/photo_delete.html", {"photo": photo})
    # The files go once the deletion commits (see tracker.models.delete_photo_files).
    photo.remove()
    if wants_partial(request):
        return trigger_client_event(HttpResponse(""), PHOTOS_CHANGED)
    messages.success(request, "Photo deleted.")
    return redirect("tracker:photos")


@require_GET
@login_or_404
def photo_image(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The photo itself, to its owner only."""
    return private_file(get_owned_or_404(ProgressPhoto, request.user, pk=pk).image)


@require_GET
@login_or_404
def photo_thumbnail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The photo's thumbnail, to its owner only."""
    return private_file(get_owned_or_404(ProgressPhoto, request.user, pk=pk).thumbnail)


@require_GET
@login_or_404
def photo_aligned(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The photo lined up by its marked eyes, to its owner only (404 without marks)."""
    aligned = get_owned_or_404(ProgressPhoto, request.user, pk=pk).aligned_file()
    if aligned is None:
        raise Http404
    return private_file(aligned)


@never_cache
@require_GET
@login_or_404
def photo_compare(request: HtmxHttpRequest) -> TemplateResponse:
    """Two photos of one angle side by side and as a wipe: the first and latest, or a choice."""
    photos = ProgressPhoto.objects.for_user(request.user)
    if "before" in request.GET or "after" in request.GET:
        before = get_owned_or_404(ProgressPhoto, request.user, pk=requested_pk(request, "before"))
        after = get_owned_or_404(
            ProgressPhoto, request.user, pk=requested_pk(request, "after"), angle=before.angle
        )
        pair = (before, after)
    else:
        pair = photos.first_and_latest(request.GET.get("angle") or None)
    comparison = PhotoComparison.of(*pair, zone=request.user.profile.zone) if pair else None
    comparable = photos.values("angle").annotate(count=Count("pk")).filter(count__gt=1)
    context = {
        "comparison": comparison,
        "shown": shown_pair(comparison, want_aligned=request.GET.get("as") != "taken")
        if comparison
        else None,
        "choices": photos.filter(angle=pair[0].angle).timeline() if pair else [],
        "angles": [a for a in Angle if a in {row["angle"] for row in comparable}],
    }
    return render_page_or_target(
        request, "tracker/photo_compare.html", context, {"photo-comparison"}
    )
