"""The auditors' workbench in the portal menu, and the riskiest subjects on the home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from offices.access import Capability
from passport_portal.navigation import HomePanel, NavItem, register, register_panel

from .selectors import subject_list

#: Subjects on the home panel.
PANEL_SUBJECTS = 5

register(NavItem(key="findings", label=_("Findings"), url_name="detection:inbox",
                 capabilities=(Capability.AUDIT,), order=60,
                 also_current=("detection:finding-detail", "detection:officer", "detection:cluster",
                               "detection:allowlist", "detection:runs")))
register(NavItem(key="cases", label=_("Cases"), url_name="detection:case-list",
                 capabilities=(Capability.AUDIT,), order=62,
                 also_current=("detection:case-detail", "detection:case-open")))


def _riskiest_context(request) -> dict:
    """The riskiest subjects the person may read (none about themselves)."""
    return {"subjects": list(subject_list(user=request.user)[:PANEL_SUBJECTS])}


register_panel(HomePanel(key="riskiest", template="detection/panels/riskiest.html",
                         capability=Capability.AUDIT, order=60, context=_riskiest_context))
