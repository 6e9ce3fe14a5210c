"""API permission for the audit trail, decided by the one access policy."""

from rest_framework.permissions import BasePermission

from offices import access
from offices.access import Capability


class CanAudit(BasePermission):
    """Auditors and supervisors (Capability.AUDIT); everyone else is refused with 403."""

    def has_permission(self, request, view) -> bool:
        access.require_anywhere(request.user, Capability.AUDIT)
        return True
