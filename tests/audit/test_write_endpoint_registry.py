"""Meta-test: every write endpoint in the OpenAPI schema has a test proving it leaves an event.

``WRITE_ENDPOINT_TESTS`` maps each (method, path) of the schema to the test that calls it and
asserts its audit event. A new POST, PUT, PATCH or DELETE endpoint fails this test until its
author adds such a test and an entry here; an entry for an endpoint that no longer exists
fails too, so the list never drifts.
"""

from __future__ import annotations

import importlib

import pytest
from drf_spectacular.generators import SchemaGenerator

WRITE_METHODS = {"post", "put", "patch", "delete"}
EVENTS = "tests.audit.api.test_write_endpoint_events"
CASES = "tests.audit.detection.api.test_cases_api"
ALLOWLIST = "tests.audit.detection.api.test_allowlist_api"

#: (method, path) → "module::test" that exercises the endpoint and asserts its event.
WRITE_ENDPOINT_TESTS = {
    ("POST", "/api/v1/offices/"): f"{EVENTS}::test_office_create_leaves_an_event",
    ("PATCH", "/api/v1/offices/{code}/"): f"{EVENTS}::test_office_update_leaves_an_event",
    ("POST", "/api/v1/staff/"): f"{EVENTS}::test_staff_create_leaves_an_event",
    ("POST", "/api/v1/assignments/"): f"{EVENTS}::test_assignment_create_leaves_an_event",
    ("POST", "/api/v1/assignments/{id}/end/"): f"{EVENTS}::test_assignment_end_leaves_an_event",
    ("POST", "/api/v1/auth/token/"): f"{EVENTS}::test_token_issue_leaves_an_event",
    ("POST", "/api/v1/accounts/register/"): f"{EVENTS}::test_account_register_leaves_an_event",
    ("POST", "/api/v1/my/bookings/"): f"{EVENTS}::test_my_booking_create_leaves_an_event",
    ("POST", "/api/v1/my/bookings/{code}/cancel/"): f"{EVENTS}::test_my_booking_cancel_leaves_an_event",
    ("POST", "/api/v1/my/bookings/{code}/reschedule/"):
        f"{EVENTS}::test_my_booking_reschedule_leaves_an_event",
    ("POST", "/api/v1/bookings/{code}/cancel/"): f"{EVENTS}::test_staff_booking_cancel_leaves_an_event",
    ("POST", "/api/v1/bookings/{code}/reschedule/"):
        f"{EVENTS}::test_staff_booking_reschedule_leaves_an_event",
    ("POST", "/api/v1/capacity/"): f"{EVENTS}::test_capacity_change_leaves_an_event",
    ("POST", "/api/v1/capacity/closures/"): f"{EVENTS}::test_day_closure_leaves_an_event",
    ("DELETE", "/api/v1/capacity/closures/"): f"{EVENTS}::test_day_reopening_leaves_an_event",
    ("POST", "/api/v1/walk-ins/"): f"{EVENTS}::test_walk_in_leaves_an_event",
    ("POST", "/api/v1/bookings/{code}/steps/"): "tests.bookings.api.test_counter_api::test_step_leaves_an_event",
    ("POST", "/api/v1/bookings/{code}/override/"):
        "tests.bookings.api.test_counter_api::test_override_leaves_an_event",
    ("POST", "/api/v1/detection/allowlist/"):
        f"{ALLOWLIST}::test_an_auditor_adds_and_removes_an_allowlist_entry",
    ("DELETE", "/api/v1/detection/allowlist/{id}/"):
        f"{ALLOWLIST}::test_an_auditor_adds_and_removes_an_allowlist_entry",
    ("POST", "/api/v1/detection/cases/"): f"{CASES}::test_an_auditor_opens_a_case_from_findings",
    ("POST", "/api/v1/detection/cases/{id}/assign/"): f"{EVENTS}::test_case_assign_leaves_an_event",
    ("POST", "/api/v1/detection/cases/{id}/move/"): f"{EVENTS}::test_case_move_leaves_an_event",
    ("POST", "/api/v1/detection/cases/{id}/notes/"): f"{EVENTS}::test_case_note_leaves_an_event",
    ("POST", "/api/v1/detection/runs/"): f"{EVENTS}::test_detection_run_start_leaves_an_event",
    ("POST", "/api/v1/ballots/"):
        "tests.bookings.ballot.api.test_ballot_api::test_ballot_create_leaves_an_event",
    ("POST", "/api/v1/my/ballot-entries/"):
        "tests.bookings.ballot.api.test_ballot_api::test_ballot_enter_leaves_an_event",
    ("POST", "/api/v1/backlog/directives/"):
        "tests.bookings.backlog.test_backlog_api::test_directive_set_leaves_an_event",
    ("POST", "/api/v1/backlog/directives/{id}/withdraw/"):
        "tests.bookings.backlog.test_directive_withdraw_api::test_directive_withdraw_leaves_an_event",
}


def schema_write_endpoints() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(method.upper(), path) for path, operations in schema["paths"].items()
            for method in operations if method in WRITE_METHODS}


def test_every_write_endpoint_has_a_test_proving_its_event(db):
    missing = sorted(schema_write_endpoints() - set(WRITE_ENDPOINT_TESTS))
    assert not missing, ("write endpoints with no test proving they leave an audit event "
                         f"(add one and list it in WRITE_ENDPOINT_TESTS): {missing}")


def test_the_registry_lists_no_endpoint_that_is_gone(db):
    stale = sorted(set(WRITE_ENDPOINT_TESTS) - schema_write_endpoints())
    assert not stale, f"entries for endpoints no longer in the schema: {stale}"


@pytest.mark.parametrize("reference", sorted(set(WRITE_ENDPOINT_TESTS.values())))
def test_each_registered_test_exists(reference):
    module_name, _, function_name = reference.partition("::")
    function = getattr(importlib.import_module(module_name), function_name, None)
    assert callable(function), f"{reference} does not exist"
