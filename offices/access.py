"""The one access policy: who may do what, where.

Every API view, page, admin queryset and command asks this module. Scope is decided from the
person's assignments in force today (in each office's own zone):

============  ===========================  ==========================  ==========================
capability    what it covers               who, where                  notes
============  ===========================  ==========================  ==========================
VIEW          offices, staff, bookings,    supervisor, auditor: all;   auditors read, never act
              queues, capacity, backlog    office head: office+units;
                                           officer: assigned office
MANAGE        capacity, closures, office   office head: office+units
              hours, postings at office
OPERATE       counter work on bookings     officer: assigned office;
                                           office head: office+units
AUDIT         audit trail, findings,       auditor, supervisor: all    no findings about oneself
              cases
DIRECT        clearance directives, the    supervisor: all
              network itself, senior
              postings
============  ===========================  ==========================  ==========================

A superuser (system administration) may do everything. "Not yours" is answered exactly as
"does not exist" (404) by ``restrict`` and ``get_scoped_or_404``; an object that is visible
but not actionable is refused with ``NotAllowed`` (403).

Applicants hold no capability: they reach what their own account owns (``restrict_to_account``)
and only their own pages, which staff are refused (``passage``).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .choices import Role
from .errors import NotAllowed
from .selectors import assignments_in_force, unit_ids_under


class Capability(enum.StrEnum):
    VIEW = "view"
    MANAGE = "manage"
    OPERATE = "operate"
    AUDIT = "audit"
    DIRECT = "direct"


# Role → capabilities held network-wide, and capabilities held at the posted office.
NETWORK_WIDE: dict[str, frozenset[Capability]] = {
    Role.SUPERVISOR: frozenset({Capability.VIEW, Capability.AUDIT, Capability.DIRECT}),
    Role.AUDITOR: frozenset({Capability.VIEW, Capability.AUDIT}),
}
AT_OFFICE: dict[str, frozenset[Capability]] = {
    Role.OFFICE_HEAD: frozenset({Capability.VIEW, Capability.MANAGE, Capability.OPERATE}),
    Role.OFFICER: frozenset({Capability.VIEW, Capability.OPERATE}),
}
# Office heads run their Kanim's units too; officers work only where posted.
REACHES_UNITS = frozenset({Role.OFFICE_HEAD})


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a capability holds: everywhere, or in a set of offices (possibly none)."""

    everywhere: bool = False
    office_ids: frozenset[int] = frozenset()

    def allows(self, office_id: int | None) -> bool:
        return self.everywhere or (office_id is not None and office_id in self.office_ids)

    @property
    def is_empty(self) -> bool:
        return not self.everywhere and not self.office_ids


NOWHERE = Scope()
EVERYWHERE = Scope(everywhere=True)


@dataclass(frozen=True, slots=True)
class SystemActor:
    """The portal itself acting from a command or a scheduled job, with full reach.

    It quacks like a superuser for the policy and is recorded as ``system:<name>``.
    """

    name: str
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = True
    pk: None = None

    def get_username(self) -> str:
        return self.name


def _staff(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "staff", None)


def roles_of(user, *, on: dt.date | None = None) -> set[str]:
    """The roles ``user`` holds today (or on ``on``)."""
    staff = _staff(user)
    if staff is None:
        return set()
    return {a.role for a in assignments_in_force(staff, on=on)}


def scope_for(user, capability: Capability, *, on: dt.date | None = None) -> Scope:
    """Where ``user`` holds ``capability`` today (or on ``on``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOWHERE
    if user.is_superuser:
        return EVERYWHERE
    staff = _staff(user)
    if staff is None:
        return NOWHERE
    office_ids: set[int] = set()
    unit_parents: set[int] = set()
    for assignment in assignments_in_force(staff, on=on):
        if capability in NETWORK_WIDE.get(assignment.role, ()):
            return EVERYWHERE
        if capability in AT_OFFICE.get(assignment.role, ()):
            office_ids.add(assignment.office_id)
            if assignment.role in REACHES_UNITS:
                unit_parents.add(assignment.office_id)
    if unit_parents:
        office_ids |= unit_ids_under(unit_parents)
    return Scope(office_ids=frozenset(office_ids))


def restrict(queryset: QuerySet, user, capability: Capability = Capability.VIEW, *,
             reach: Reach | None = None) -> QuerySet:
    """Narrow ``queryset`` to the rows ``user`` may reach with ``capability``.

    The model names its path to an office in ``office_path`` (``"pk"`` for Office itself).
    Pages pass the request's ``reach`` (read once per request) to save the assignment reads.
    """
    scope = reach.scopes[capability] if reach is not None else scope_for(user, capability)
    if scope.everywhere:
        return queryset
    if scope.is_empty:
        return queryset.none()
    path = queryset.model.office_path
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    queryset = queryset.filter(**{lookup: scope.office_ids})
    return queryset.distinct() if "__" in path else queryset


def get_scoped_or_404(queryset: QuerySet, user, capability: Capability = Capability.VIEW, *,
                      reach: Reach | None = None, **lookup) -> Model:
    """One object ``user`` may reach, or 404, the same answer as for one that does not exist."""
    try:
        return restrict(queryset, user, capability, reach=reach).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def require(user, capability: Capability, office_id: int | None) -> None:
    """Refuse (403) unless ``user`` holds ``capability`` at the office."""
    if not scope_for(user, capability).allows(office_id):
        raise NotAllowed(_("You may not do this at this office."), code="not_allowed")


def require_anywhere(user, capability: Capability) -> Scope:
    """Refuse (403) unless ``user`` holds ``capability`` somewhere; return the scope."""
    scope = scope_for(user, capability)
    if scope.is_empty:
        raise NotAllowed(_("Your role does not allow this."), code="not_allowed")
    return scope


# Roles that reach the whole network must prove a second factor (TOTP) before anything else.
SECOND_FACTOR_ROLES = frozenset(NETWORK_WIDE)


@dataclass(frozen=True, slots=True)
class Reach:
    """What one person may do today: their roles and every capability's scope, read at once.

    Pages build one per request (navigation, the second-factor gate) instead of asking
    ``scope_for`` capability by capability.
    """

    roles: frozenset[str]
    scopes: dict[Capability, Scope]
    superuser: bool = False

    def can(self, capability: Capability) -> bool:
        """True when ``capability`` holds somewhere."""
        return not self.scopes[capability].is_empty

    @property
    def needs_second_factor(self) -> bool:
        # A superuser reaches everything an auditor or supervisor does, and more.
        return self.superuser or bool(self.roles & SECOND_FACTOR_ROLES)


def reach_of(user, *, on: dt.date | None = None) -> Reach:
    """Roles and scopes of ``user`` today, from one read of the assignments (two with units)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Reach(roles=frozenset(), scopes=dict.fromkeys(Capability, NOWHERE))
    if user.is_superuser:
        return Reach(roles=frozenset(), scopes=dict.fromkeys(Capability, EVERYWHERE), superuser=True)
    staff = _staff(user)
    assignments = assignments_in_force(staff, on=on) if staff is not None else []
    everywhere: set[Capability] = set()
    offices: dict[Capability, set[int]] = {c: set() for c in Capability}
    unit_parents: dict[Capability, set[int]] = {c: set() for c in Capability}
    for assignment in assignments:
        everywhere |= NETWORK_WIDE.get(assignment.role, frozenset())
        for capability in AT_OFFICE.get(assignment.role, ()):
            offices[capability].add(assignment.office_id)
            if assignment.role in REACHES_UNITS:
                unit_parents[capability].add(assignment.office_id)
    units_cache: dict[frozenset[int], set[int]] = {}
    scopes: dict[Capability, Scope] = {}
    for capability in Capability:
        if capability in everywhere:
            scopes[capability] = EVERYWHERE
            continue
        parents = frozenset(unit_parents[capability])
        if parents and parents not in units_cache:
            units_cache[parents] = unit_ids_under(set(parents))
        scopes[capability] = Scope(office_ids=frozenset(offices[capability]
                                                        | units_cache.get(parents, set())))
    return Reach(roles=frozenset(a.role for a in assignments), scopes=scopes)


# --- applicants and staff --------------------------------------------------------------------
# Applicants and staff share one sign-in machinery but never each other's pages. An applicant is
# a signed-in account holder with no staff profile; everyone else signed in (staff,
# administrators) is on the staff side, where the capabilities above decide. Applicant accounts
# are defined above this module (bookings): they are reached through the user's
# ``applicant_account`` relation, never imported.

#: The URL namespace of the applicants' own pages (/apply/).
APPLICANT_AREA = "applicant"
#: URL names outside /apply/ open to applicants: the sign-in (it sends them home), signing out
#: and the language switch.
OPEN_TO_APPLICANTS = frozenset({"login", "logout", "set_language"})
#: The staff home: an applicant who lands there is sent to their own pages.
STAFF_HOME = "home"
#: Paths left to their own authentication (the API) or serving no person's data.
UNGUARDED_PREFIXES = ("/api/", "/static/", "/admin/")


class Passage(enum.StrEnum):
    """The answer at the line between applicants and staff, for one person at one page."""

    OPEN = "open"  # go on (inside, the page's own access rules still apply)
    APPLICANT_HOME = "applicant_home"  # an applicant at the staff home: send them to /apply/
    HIDDEN = "hidden"  # a staff page to an applicant: 404, as for anything out of reach
    REFUSED = "refused"  # an applicants' page to staff or an administrator: 403


def applicant_account_of(user) -> Model | None:
    """The account of a signed-in applicant; None for anyone else (staff, administrators, anonymous).

    Staff are ruled out first: their profile is read anyway by every staff page (``reach_of``),
    so staff pay no extra query here.
    """
    if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
        return None
    if getattr(user, "staff", None) is not None:
        return None
    return getattr(user, "applicant_account", None)


def is_applicant(user) -> bool:
    """True for a signed-in applicant; staff, administrators and anonymous visitors are not."""
    return applicant_account_of(user) is not None


def passage(user, *, path: str, namespace: str, url_name: str | None) -> Passage:
    """May ``user`` open the page at ``path`` (URL ``namespace:url_name``) on their side of the line?

    Anonymous visitors pass (each page asks for a sign-in where it needs one); so does anything
    under ``UNGUARDED_PREFIXES``. Applicants keep to /apply/ and ``OPEN_TO_APPLICANTS``; staff
    keep out of /apply/. The account is read only where the answer depends on it.
    """
    if path.startswith(UNGUARDED_PREFIXES) or user is None or not user.is_authenticated:
        return Passage.OPEN
    if namespace == APPLICANT_AREA:
        return Passage.OPEN if is_applicant(user) else Passage.REFUSED
    if url_name in OPEN_TO_APPLICANTS or not is_applicant(user):
        return Passage.OPEN
    return Passage.APPLICANT_HOME if url_name == STAFF_HOME else Passage.HIDDEN


def restrict_to_account(queryset: QuerySet, user) -> QuerySet:
    """Narrow ``queryset`` to the rows of the applicant account signed in as ``user``.

    Applicants are not staff and hold no capability: they reach only what their own account
    owns, through the model's ``account_path``. Anyone else gets nothing (so: 404).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    account = getattr(user, "applicant_account", None)
    if account is None:
        return queryset.none()
    return queryset.filter(**{queryset.model.account_path: account})


def nip_of(user) -> str | None:
    """The NIP of a member of staff, or None for anyone else."""
    staff = _staff(user)
    return staff.nip if staff is not None else None


def not_about_self(queryset: QuerySet, user, *, nips_field: str = "staff_nips") -> QuerySet:
    """Rows that do not name ``user`` among the officers in ``nips_field`` (an array of NIPs).

    Nobody is shown findings, subjects or cases about themselves, whatever their capability.
    """
    nip = nip_of(user)
    if nip is None:
        return queryset
    return queryset.exclude(**{f"{nips_field}__contains": [nip]})


def posted_office_ids(user, *, on: dt.date | None = None) -> frozenset[int]:
    """The offices ``user`` is posted at today (or on ``on``): an auditor's own offices."""
    staff = _staff(user)
    if staff is None:
        return frozenset()
    return frozenset(a.office_id for a in assignments_in_force(staff, on=on))
