"""The booking service's entries in the portal menu and its home-page panels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from offices.access import Capability
from passport_portal.navigation import NavItem, register

# The office pages: the day's board for those who work a counter (officers and heads).
register(NavItem(key="office", label=_("Office"), url_name="office:pick",
                 capabilities=(Capability.OPERATE,), order=30,
                 also_current=("office:board", "office:capacity", "office:walk-in", "office:backlog")))
