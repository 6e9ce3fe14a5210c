"""Bookings under suspicion of being fake: named in an open FICTITIOUS or BOT finding.

The supervisors' network view counts, per office, how much of the quota such bookings take.
It needs only the set of booking refs, never the findings, their evidence or whom they name,
so this module hands out a subquery of refs that the bookings selectors fold into their
counts (bookings never imports detection: the page passes the subquery in).
"""

from __future__ import annotations

from django.db.models import F, Func, QuerySet

from offices import access
from offices.access import Capability, Reach

from .choices import Category
from .models import Finding
from .selectors_office import CONCLUDED

#: Categories that say a booking is not a real applicant's.
FAKE_BOOKING_CATEGORIES = (Category.FICTITIOUS, Category.BOT)


def flagged_booking_refs(*, user, reach: Reach | None = None) -> QuerySet:
    """Refs of bookings named in an open FICTITIOUS or BOT finding that ``user`` may read (AUDIT).

    A finding is open until a case holding it reaches a conclusion. The result is a one-column
    queryset for ``ref__in=…``: PostgreSQL runs it as a hashed semi-join inside the caller's
    query, so counting flagged bookings for every office adds no query.
    """
    findings = access.restrict(Finding.objects.filter(category__in=FAKE_BOOKING_CATEGORIES), user,
                               Capability.AUDIT, reach=reach)
    findings = access.not_about_self(findings, user).exclude(cases__status__in=CONCLUDED)
    return findings.order_by().annotate(
        booking_ref=Func(F("booking_refs"), function="unnest")).values("booking_ref")
