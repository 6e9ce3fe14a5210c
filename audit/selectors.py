"""Reads of the audit trail for auditors: events with their office and the acting officer's name."""

from __future__ import annotations

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When

from offices.models import StaffProfile

from .actions import ActorType
from .models import Event


def event_list() -> QuerySet[Event]:
    """Every event, with its office and, for staff, the officer's name as ``actor_name``.

    Events carry the NIP, not a key, so the name is looked up by NIP (unique, indexed).
    """
    name = StaffProfile.objects.filter(nip=OuterRef("actor_id")).values("name")[:1]
    return Event.objects.select_related("office").annotate(actor_name=Case(
        When(actor_type=ActorType.STAFF, then=Subquery(name)),
        default=Value(""), output_field=CharField()))


def booking_timeline(code: str) -> QuerySet[Event]:
    """Everything recorded about one booking, oldest first."""
    return event_list().filter(target_type="booking", target_id=code).order_by("at", "id")


def staff_timeline(nip: str) -> QuerySet[Event]:
    """Everything one officer did, oldest first."""
    return event_list().filter(actor_type=ActorType.STAFF, actor_id=nip).order_by("at", "id")
