"""URL map: back office (/admin/), portal (/portal/), verification (/verify/), API (/api/v1/)."""

from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", include("records.api.urls")),
    path("", include("records.portal.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
