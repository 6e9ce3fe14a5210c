"""Pages of the audit trail for auditors and supervisors (included at /audit/, namespace ``audit``)."""

from django.urls import path

from .pages.search import event_search
from .pages.timelines import booking_timeline_page, staff_timeline_page

urlpatterns = [
    path("", event_search, name="event-search"),
    path("bookings/<str:code>/", booking_timeline_page, name="booking-timeline"),
    path("staff/<int:pk>/", staff_timeline_page, name="staff-timeline"),
]
