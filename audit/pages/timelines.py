"""Timelines: everything recorded about one booking, and everything one officer did.

A booking's timeline shows the booking's facts; the applicant's personal data (name, birth
date, contacts, the NIK masked) only on request, and that request records VIEW_APPLICANT
in the trail first, as opening a booking in the API does.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.selectors import booking_events, booking_identifiers, event_list, event_search_list, staff_timeline
from bookings.models import Booking
from bookings.services import applicant_view_record
from offices import access, selectors
from offices.access import Capability
from passport_portal.request_meta import request_meta

from .gate import audit_page
from .keyset import OLDEST_FIRST
from .rows import local_clock
from .search import event_list_page

#: Filters that mean nothing on one booking's or one officer's timeline.
BOOKING_HIDDEN = ("actor", "actor_type", "office", "booking", "target_type", "target_id", "ip", "source")
STAFF_HIDDEN = ("actor", "actor_type")


@audit_page
@require_http_methods(["GET", "POST"])
def booking_timeline_page(request, code: str):
    """One booking's trail, oldest first; a POST shows the applicant's data and records it."""
    code = code[:64]
    booking = (access.restrict(Booking.objects.select_related("office"), request.user, Capability.AUDIT,
                               reach=request.reach)
               .filter(Q(code=code) | Q(ref=code)).first())
    identifiers = booking_identifiers(code)
    scoped = access.restrict(event_search_list(), request.user, Capability.AUDIT, reach=request.reach)
    events = booking_events(scoped, identifiers)
    if booking is None and not events.exists():
        raise Http404
    applicant = None
    if request.method == "POST" and booking is not None:
        applicant_view_record(actor=request.user, booking=booking, meta=request_meta(request))
        applicant = booking
    facts = None
    if booking is not None:
        created, created_text, created_zone = local_clock(booking.created_at, booking.office)
        facts = {"created": created, "created_text": created_text, "zone": created_zone}
    csv_events = booking_events(access.restrict(event_list(), request.user, Capability.AUDIT,
                                                reach=request.reach), identifiers)
    return event_list_page(
        request, page_events=events, csv_events=csv_events, template="audit/booking_timeline.html",
        export_name=f"audit-booking-{booking.code if booking else 'events'}", hidden=BOOKING_HIDDEN,
        default_order=OLDEST_FIRST,
        context={"booking": booking, "code": code, "facts": facts, "applicant": applicant,
                 "page_title": _("Booking %(code)s") % {"code": booking.code if booking else code}})


@audit_page
@require_GET
def staff_timeline_page(request, pk: int):
    """Everything one officer did, newest first, searchable by action, office and time."""
    staff = access.get_scoped_or_404(selectors.staff_list(), request.user, Capability.VIEW,
                                     reach=request.reach, pk=pk)
    events = access.restrict(staff_timeline(staff.nip), request.user, Capability.AUDIT, reach=request.reach)
    return event_list_page(
        request, page_events=events, csv_events=events, template="audit/staff_timeline.html",
        export_name=f"audit-staff-{staff.pk}", hidden=STAFF_HIDDEN,
        context={"staff": staff, "postings": list(staff.assignments.all()),
                 "page_title": _("Timeline of %(name)s") % {"name": staff.name}})
