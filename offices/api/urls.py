from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AssignmentViewSet, MeView, OfficeViewSet, StaffViewSet

router = SimpleRouter()
router.register("offices", OfficeViewSet, basename="office")
router.register("staff", StaffViewSet, basename="staff")
router.register("assignments", AssignmentViewSet, basename="assignment")

urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
