"""A read page refuses a POST with 405: every page URL the resolver knows is posted to, and only
the form targets listed here may take it.

The form targets are the pages each area's test_write_pages_audited.py lists (each with a test of
its audit event) and the frame's own forms (sign-in, sign-out, second factor, language). A new page
that renders for a POST, or a page whose URL takes an argument this test cannot fill, fails here.
"""

from __future__ import annotations

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.pages.applicant.test_write_pages_audited import WRITE_PAGES as APPLICANT
from tests.pages.audit.test_write_pages_audited import WRITE_PAGES as AUDIT
from tests.pages.conftest import sign_in
from tests.pages.detection.test_write_pages_audited import WRITE_PAGE_TESTS as DETECTION
from tests.pages.office.test_write_pages_audited import WRITE_PAGES as OFFICE
from tests.pages.offices.test_write_pages_audited import WRITE_PAGES as OFFICES
from tests.pages.supervision.test_write_pages_audited import WRITE_PAGES as SUPERVISION
from tests.passport_portal.world import build_world

# Not pages: the API (each viewset declares its methods; the API tests cover them) and Django's admin.
NOT_PAGES = ("api/", "admin/")
#: The frame's forms: their events are the sign-in trail's (tests/offices, tests/audit).
FRAME_FORMS = {"login", "logout", "two-factor-setup", "two-factor-verify", "set_language"}
FORM_TARGETS = FRAME_FORMS | set(APPLICANT) | set(AUDIT) | set(DETECTION) | set(OFFICE) | set(OFFICES) \
    | set(SUPERVISION)


def _page_names(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """(URL name, its arguments) of every named page outside ``NOT_PAGES``."""
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PAGES):
            continue
        if isinstance(entry, URLResolver):
            names += _page_names(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            names.append((name, tuple(entry.pattern.converters)))
    return names


def _arguments(network, world) -> dict[str, dict[str, object]]:
    """URL name → the values of its arguments, each naming a real object."""
    office, booking = network.kanim_a.code, world.booking.code
    staff, case = network.officer_a.staff.pk, world.case.pk
    by_name = {
        "supervision:province": {"code": network.kanim_a.region.code},
        "applicant:booking": {"code": booking}, "applicant:booking-cancel": {"code": booking},
        "audit:booking-timeline": {"code": booking}, "audit:staff-timeline": {"pk": staff},
        "offices:staff-detail": {"pk": staff},
        "offices:posting-end": {"pk": staff, "assignment_pk": world.assignment.pk},
        "detection:finding-detail": {"pk": world.finding.pk}, "detection:officer": {"nip": world.officer_nip},
        "detection:cluster": {"key": "cluster-none"}, "detection:case-detail": {"pk": case},
        "detection:case-assign": {"pk": case}, "detection:case-move": {"pk": case},
        "detection:case-note": {"pk": case}, "detection:allowlist-remove": {"pk": world.allowlist_entry.pk},
        "detection:run-progress": {"pk": 1},
    }
    return by_name | {"": {"code": office}}  # "": any other page naming one office


def _post(network, world, name: str, url: str) -> int:
    """The status of an empty POST to ``url``, by a user who may open the page: the applicant on
    the applicants' pages, the superuser (every capability, second factor verified) elsewhere."""
    user = world.applicant if name.startswith("applicant:") else network.admin
    return sign_in(Client(), user).post(url, {}).status_code


def test_every_page_but_a_form_target_refuses_a_post_with_405(network, settings):
    world = build_world(network, settings)
    arguments = _arguments(network, world)
    pages = _page_names()
    unfilled = [name for name, needs in pages if needs and set(arguments.get(name, arguments[""])) != set(needs)]
    assert not unfilled, f"pages with arguments this test cannot fill (add them to _arguments): {unfilled}"

    answers = {}
    for name, needs in pages:
        url = reverse(name, kwargs=arguments.get(name, arguments[""]) if needs else None)
        answers[name] = _post(network, world, name, url)
    taking_a_post = {name for name, status in answers.items() if status != 405}
    read_pages_taking_it = sorted(taking_a_post - FORM_TARGETS)
    assert not read_pages_taking_it, "read pages answering a POST other than with 405: " + ", ".join(
        f"{name} ({answers[name]})" for name in read_pages_taking_it)
    refusing = sorted(FORM_TARGETS - taking_a_post)
    assert not refusing, f"form targets listed that no longer take a POST (or are gone): {refusing}"
