"""Bookings and capacity under /api/v1/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from .backlog import BacklogViewSet, DirectiveViewSet
from .ballot import BallotViewSet, MyBallotEntryViewSet, OpenBallotsView
from .views import (
    AccountRegisterView,
    AvailabilityView,
    CapacityView,
    DayCloseView,
    MyBookingViewSet,
    QueueView,
    StaffBookingViewSet,
    WalkInView,
)

router = SimpleRouter()
router.register("my/bookings", MyBookingViewSet, basename="my-booking")
router.register("bookings", StaffBookingViewSet, basename="booking")
router.register("ballots", BallotViewSet, basename="ballot")
router.register("my/ballot-entries", MyBallotEntryViewSet, basename="my-ballot-entry")
router.register("backlog/directives", DirectiveViewSet, basename="directive")
router.register("backlog", BacklogViewSet, basename="backlog")

urlpatterns = [
    path("accounts/register/", AccountRegisterView.as_view(), name="account-register"),
    path("availability/", AvailabilityView.as_view(), name="availability"),
    path("queue/", QueueView.as_view(), name="queue"),
    path("walk-ins/", WalkInView.as_view(), name="walk-in"),
    path("capacity/", CapacityView.as_view(), name="capacity"),
    path("capacity/closures/", DayCloseView.as_view(), name="day-closure"),
    path("ballots/open/", OpenBallotsView.as_view(), name="ballot-open"),
    *router.urls,
]
