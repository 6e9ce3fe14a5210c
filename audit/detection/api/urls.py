"""Detection under /api/v1/detection/."""

from rest_framework.routers import SimpleRouter

from .views import AllowlistViewSet, CaseViewSet, FindingViewSet, RunViewSet, SubjectViewSet

router = SimpleRouter()
router.register("runs", RunViewSet, basename="detection-run")
router.register("findings", FindingViewSet, basename="finding")
router.register("subjects", SubjectViewSet, basename="detection-subject")
router.register("cases", CaseViewSet, basename="case")
router.register("allowlist", AllowlistViewSet, basename="allowlist")

urlpatterns = [*router.urls]
