"""The office network's entries in the portal menu and its home-page panels."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passport_portal.navigation import HomePanel, NavItem, register, register_panel

from . import access, selectors
from .access import Capability
from .models import Office

EVERY_CAPABILITY = tuple(Capability)

register(NavItem(key="home", label=_("Home"), url_name="home", capabilities=EVERY_CAPABILITY, order=0))
register(NavItem(key="network", label=_("Network"), url_name="offices:office-list",
                 capabilities=(Capability.VIEW,), order=10,
                 also_current=("offices:office-detail", "offices:province-list")))
register(NavItem(key="staff", label=_("Staff"), url_name="offices:staff-list",
                 capabilities=(Capability.VIEW,), order=20, also_current=("offices:staff-detail",)))


def _today_context(request) -> dict:
    """The person's postings today, each with its office's local time and zone."""
    staff = getattr(request.user, "staff", None)
    postings = selectors.assignments_in_force(staff) if staff is not None else []
    now = timezone.now()
    return {"postings": [{"assignment": a, "local_now": now.astimezone(a.office.zone)} for a in postings]}


def _network_context(request) -> dict:
    """Counts of the whole network, by type and zone, and the largest provinces."""
    offices = access.restrict(Office.objects.all(), request.user, Capability.VIEW, reach=request.reach)
    provinces = sorted(selectors.province_summary(offices), key=lambda p: -(p["quota_total"] or 0))
    return {"summary": selectors.network_summary(offices), "top_provinces": provinces[:8]}


def _managed_context(request) -> dict:
    """The offices the person runs, each with today's staff on duty (counted in SQL, per zone)."""
    offices = access.restrict(selectors.office_list(), request.user, Capability.MANAGE, reach=request.reach)
    return {"managed": list(selectors.offices_with_staff_on_duty(offices))}


register_panel(HomePanel(key="today", template="offices/panels/today.html",
                         capability=Capability.VIEW, order=0, context=_today_context))
register_panel(HomePanel(key="network", template="offices/panels/network.html",
                         capability=Capability.VIEW, order=10, network_wide=True, context=_network_context))
register_panel(HomePanel(key="managed", template="offices/panels/managed.html",
                         capability=Capability.MANAGE, order=20, context=_managed_context))
