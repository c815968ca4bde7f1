from django.urls import path, re_path

from tracker.views import (
    accounts,
    dashboard,
    data,
    experiments,
    gear,
    health,
    insights,
    photos,
    reminders,
    routines,
    safety,
    sessions,
    sources,
    webapp,
    year,
)
from tracker.views import undo as undo_views

app_name = "tracker"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("profile/", accounts.profile, name="profile"),
    path("sources/", sources.sources, name="sources"),
    path("rest-weeks/", accounts.rest_week_add, name="rest-week-add"),
    path("rest-weeks/<int:pk>/delete/", accounts.rest_week_delete, name="rest-week-delete"),
    # Sessions
    path("sessions/", sessions.history, name="history"),
    path("year/", year.year, name="year"),
    path("sessions/new/", sessions.session_new, name="session-new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", sessions.session_delete, name="session-delete"),
    path("routines/<int:pk>/log/", sessions.log_from_routine, name="log-routine"),
    path("sessions/<int:pk>/reaction/", safety.session_reaction, name="session-reaction"),
    # Is it safe for me
    path("health-check/", safety.health_check, name="health-check"),
    path("health-check/delete/", safety.health_check_delete, name="health-check-delete"),
    path(
        "gear/products/<int:pk>/patch-test/",
        safety.patch_test_start,
        name="patch-test-start",
    ),
    path("gear/products/<int:pk>/pause/", safety.product_pause, name="product-pause"),
    path("gear/products/<int:pk>/resume/", safety.product_resume, name="product-resume"),
    # Routines
    path("routines/", routines.routine_list, name="routine-list"),
    path("routines/new/", routines.routine_new, name="routine-new"),
    path(
        "routines/starters/<slug:slug>/copy/",
        routines.routine_copy_starter,
        name="routine-copy-starter",
    ),
    path("routines/<int:pk>/", routines.routine_detail, name="routine-detail"),
    path("routines/<int:pk>/guide/", routines.routine_guide, name="routine-guide"),
    path("routines/<int:pk>/delete/", routines.routine_delete, name="routine-delete"),
    path("routines/<int:pk>/steps/", routines.step_add, name="step-add"),
    re_path(
        r"^steps/(?P<pk>[0-9]+)/move/(?P<direction>up|down)/$", routines.step_move, name="step-move"
    ),
    path("steps/<int:pk>/", routines.step_detail, name="step-detail"),
    path("steps/<int:pk>/edit/", routines.step_edit, name="step-edit"),
    path("steps/<int:pk>/delete/", routines.step_delete, name="step-delete"),
    # Undo, for 30 seconds after a deletion
    path("undo/", undo_views.undo_action, name="undo"),
    path("undo/offer/", undo_views.undo_offer, name="undo-offer"),
    # Progress photos
    path("photos/", photos.gallery, name="photos"),
    path("photos/new/", photos.photo_new, name="photo-new"),
    path("photos/compare/", photos.photo_compare, name="photo-compare"),
    path("photos/<int:pk>/", photos.photo_edit, name="photo-edit"),
    path("photos/<int:pk>/delete/", photos.photo_delete, name="photo-delete"),
    path("photos/<int:pk>/image/", photos.photo_image, name="photo-image"),
    path("photos/<int:pk>/thumbnail/", photos.photo_thumbnail, name="photo-thumbnail"),
    path("photos/<int:pk>/eyes/", photos.photo_eyes, name="photo-eyes"),
    path("photos/<int:pk>/aligned/", photos.photo_aligned, name="photo-aligned"),
    # Is it working for me
    path("insights/", insights.insights, name="insights"),
    path("experiments/", experiments.experiment_list, name="experiments"),
    path("experiments/<int:pk>/", experiments.experiment_detail, name="experiment-detail"),
    path("experiments/<int:pk>/end/", experiments.experiment_end, name="experiment-end"),
    path("experiments/<int:pk>/delete/", experiments.experiment_delete, name="experiment-delete"),
    # Tools and products
    path("gear/", gear.gear_list, name="gear"),
    re_path(r"^gear/(?P<kind>tools|products)/new/$", gear.gear_edit, name="gear-new"),
    path("gear/tools/<int:pk>/cleaned/", gear.tool_cleaned, name="tool-cleaned"),
    re_path(r"^gear/(?P<kind>tools|products)/(?P<pk>[0-9]+)/$", gear.gear_edit, name="gear-edit"),
    re_path(
        r"^gear/(?P<kind>tools|products)/(?P<pk>[0-9]+)/delete/$",
        gear.gear_delete,
        name="gear-delete",
    ),
    # Your data
    path("data/export/", data.data_export, name="data-export"),
    path("data/import/", data.data_import, name="data-import"),
    path("data/import/loop/", data.data_import_loop, name="data-import-loop"),
    path("account/delete/", data.account_delete, name="account-delete"),
    # Reminders
    path("reminders/", reminders.reminder_plan, name="reminder-plan"),
    path("reminders/off/", reminders.reminder_plan_off, name="reminder-plan-off"),
    path("reminders/push/", reminders.push_subscribe, name="push-subscribe"),
    path("reminders/push/off/", reminders.push_unsubscribe, name="push-unsubscribe"),
    path("reminders/calendar/", reminders.calendar_feed_issue, name="calendar-feed-issue"),
    path("reminders/calendar/off/", reminders.calendar_feed_off, name="calendar-feed-off"),
    path("calendar/<str:token>.ics", reminders.calendar_feed, name="calendar-feed"),
    path(
        "reminders/unsubscribe/<str:token>/",
        reminders.reminder_unsubscribe,
        name="reminder-unsubscribe",
    ),
    # For monitoring and the process manager: 200 while the background processes are alive.
    path("health/", health.health, name="health"),
    # The installable app: the worker must sit at the root to control every page.
    path("sw.js", webapp.service_worker, name="service-worker"),
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("offline/identity/", webapp.offline_identity, name="offline-identity"),
]
