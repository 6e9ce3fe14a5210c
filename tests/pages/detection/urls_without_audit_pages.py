"""The portal's URLs without the audit trail's timeline pages: the workbench must still render, unlinked."""

from django.urls import include, path

import audit.urls
from passport_portal.urls import urlpatterns as portal_urlpatterns

TIMELINES = {"booking-timeline", "staff-timeline"}
audit_pages = [pattern for pattern in audit.urls.urlpatterns if pattern.name not in TIMELINES]

urlpatterns = [path("audit/", include((audit_pages, "audit"))) if str(pattern.pattern) == "audit/" else pattern
               for pattern in portal_urlpatterns]
