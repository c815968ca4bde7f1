from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("tracker.urls_accounts")),
    path("admin/", admin.site.urls),
    path("", include("tracker.urls")),
]
