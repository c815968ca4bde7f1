from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# One login page, one throttle: the admin sends visitors to the site's own login.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("accounts/", include("tracker.urls_accounts")),
    path("admin/", admin.site.urls),
    path("", include("tracker.urls")),
]
