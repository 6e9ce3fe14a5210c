"""Top-level URLs: the API under /api/v1/, its schema and docs, the admin and the pages of each app."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from offices.views import ApiTokenView

api_v1 = [
    path("", include("offices.api.urls")),
    path("", include("bookings.api.urls")),
    path("", include("audit.api.urls")),
    path("auth/token/", ApiTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("supervision/", include(("bookings.urls_supervision", "supervision"))),
    path("office/", include(("bookings.urls_office", "office"))),
    path("apply/", include(("bookings.urls_applicant", "applicant"))),
    path("audit/", include(("audit.urls", "audit"))),
    path("findings/", include(("audit.detection.urls", "detection"))),
    path("", include("offices.urls")),
]
