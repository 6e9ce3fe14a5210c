"""The audit trail's entry in the portal menu: for whoever holds AUDIT (auditors, supervisors)."""

from django.utils.translation import gettext_lazy as _

from offices.access import Capability
from passport_portal.navigation import NavItem, register

register(NavItem(key="audit", label=_("Audit trail"), url_name="audit:event-search",
                 capabilities=(Capability.AUDIT,), order=50,
                 also_current=("audit:booking-timeline", "audit:staff-timeline")))
