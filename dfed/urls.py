from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dfed.core.views import healthz, private_search

admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "系统管理"

handler500 = "dfed.core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("search/", private_search, name="private-search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("dfed.accounts.urls")),
    path("admin/", admin.site.urls),
    path("people/", include("dfed.people.urls")),
    path("notifications/", include("dfed.notifications.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("imports/", include("dfed.imports.urls")),
    path("service/", include("subsidies.urls_service")),
    path("homes/", include("homes.urls")),
    path("accessibility/", include("accessibility.urls")),
    path("integrity/", include("integrity.urls")),
    path("", include("dfed.reports.urls")),
]
