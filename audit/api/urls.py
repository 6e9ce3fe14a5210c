from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from .views import (
    ApplicantTrailView,
    BookingTimelineView,
    EventViewSet,
    RootStatementView,
    StaffTimelineView,
)

router = SimpleRouter()
router.register("audit/events", EventViewSet, basename="audit-event")

urlpatterns = [
    path("audit/bookings/<str:code>/timeline/", BookingTimelineView.as_view(),
         name="audit-booking-timeline"),
    path("audit/staff/<str:nip>/timeline/", StaffTimelineView.as_view(), name="audit-staff-timeline"),
    re_path(r"^audit/roots/(?P<date>\d{4}-\d{2}-\d{2})/$", RootStatementView.as_view(),
            name="audit-roots"),
    path("detection/", include("audit.detection.api.urls")),
    path("my/trail/", ApplicantTrailView.as_view(), name="my-trail"),
    *router.urls,
]
