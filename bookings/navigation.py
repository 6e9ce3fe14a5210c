"""The booking service's entries in the portal menu and its home-page panels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bookings.pages.supervision import directives_panel
from offices.access import Capability
from passport_portal.navigation import HomePanel, NavItem, register, register_panel

# The office pages: the day's board for those who work a counter (officers and heads).
register(NavItem(key="office", label=_("Office"), url_name="office:pick",
                 capabilities=(Capability.OPERATE,), order=30,
                 also_current=("office:board", "office:capacity", "office:walk-in", "office:backlog")))


# The supervisors' pages: the network at a glance, its drill-down, trends and directives.
register(NavItem(key="supervision", label=_("Supervision"), url_name="supervision:overview",
                 capabilities=(Capability.DIRECT,), order=35,
                 also_current=("supervision:offices", "supervision:office", "supervision:province",
                               "supervision:directives")))
register_panel(HomePanel(key="directives", template="supervision/panel.html", capability=Capability.DIRECT,
                         order=35, network_wide=True, context=directives_panel))
