"""Property-based API test: every operation of the OpenAPI schema, as every role, never answers 5xx
and never answers against its own schema.

Schemathesis draws requests (valid and deliberately invalid) from /api/v1/schema/ and sends them
through the WSGI application inside the test's transaction, on real PostgreSQL. The first request
drawn for each operation is sent with every role's token (officer, office head, supervisor,
auditor, applicant), later ones with each role in turn; a request naming an object by path is
sent again with the id of a real object, so the handlers behind the 404 are reached too. The run is derandomised (a fixed seed), so CI sees the same
requests every time; ``API_FUZZ_EXAMPLES`` raises the number of requests per operation locally.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from passport_portal.wsgi import application
from tests.passport_portal.world import build_world

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _in_test_transaction(environ, start_response):
    """The portal's WSGI application, keeping the test's connection (and so its transaction) open.

    Django closes the database connection at the end of each request; its own test client turns
    that off in the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# The schema as the portal serves it at /api/v1/schema/ (generated in-process: no request needed
# at collection time, when the database is still closed to tests).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = _in_test_transaction
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
# Not fuzzed, with the reason:
# - auth/token/ takes a password and a TOTP code: every drawn request is a failed sign-in, which
#   django-axes counts towards a lockout; its refusals are tested in tests/offices and tests/pages.
# - accounts/register/ hashes a password per request (by design slow) and is open to anonymous
#   callers only; its validation has its own tests in tests/bookings/api.
schema = schema.exclude(path_regex=r"^/api/v1/(auth/token|accounts/register)/$")


def _stable_settings(test):
    return hypothesis_settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure shows its request as drawn
        suppress_health_check=list(HealthCheck),
    )(test)


@pytest.fixture
def api_world(network, settings):
    """Real objects for the path parameters, a token per role, and the requests drawn so far."""
    world = build_world(network, settings)
    booking, nip = world.booking.code, world.officer_nip
    known = {
        "/api/v1/bookings/{code}": booking, "/api/v1/my/bookings/{code}": booking,
        "/api/v1/audit/bookings/{code}": booking, "/api/v1/offices/{code}": network.kanim_a.code,
        "/api/v1/staff/{nip}": nip, "/api/v1/audit/staff/{nip}": nip,
        "/api/v1/ballots/{ref}": world.ballot.ref, "/api/v1/detection/findings/{id}": world.finding.pk,
        "/api/v1/detection/cases/{id}": world.case.pk, "/api/v1/detection/allowlist/{id}": world.allowlist_entry.pk,
        "/api/v1/detection/subjects/{id}": nip, "/api/v1/audit/events/{id}": world.event.pk,
        "/api/v1/assignments/{id}": world.assignment.pk,
        "/api/v1/audit/roots/{date}": network.kanim_a.local_date().isoformat(),
    }
    users = [user for role, user in world.users(network).items() if role != "superuser"]
    tokens = {user.username: Token.objects.get_or_create(user=user)[0].key for user in users}
    return known, tokens, []


def _known_path_parameters(case, known: dict) -> dict | None:
    """The path parameters of ``case`` replaced by a real object's id, when one is known."""
    for prefix, value in known.items():
        if case.path.startswith(prefix):
            name = prefix.rsplit("{", 1)[1].rstrip("}")
            return {**(case.path_parameters or {}), name: value}
    return None


@schema.parametrize()
@_stable_settings
def test_every_operation_as_every_role_answers_within_its_schema(case, api_world):
    known, tokens, drawn = api_world
    real = _known_path_parameters(case, known)
    # The first request drawn for an operation goes out as every role; later ones take turns,
    # which keeps the run short while each role still meets many different requests.
    roles = list(tokens.values()) if not drawn else [list(tokens.values())[len(drawn) % len(tokens)]]
    drawn.append(case)
    for key in roles:
        headers = {"Authorization": f"Token {key}"}
        case.call_and_validate(headers=headers, checks=CHECKS)
        if real is not None:
            as_drawn = case.path_parameters
            case.path_parameters = real
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                case.path_parameters = as_drawn


def test_the_fuzzed_schema_is_the_served_schema(client, network):
    """The schema fuzzed above is exactly the one /api/v1/schema/ serves."""
    client.force_login(network.officer_a)
    served = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    assert served["paths"].keys() == generated["paths"].keys()
    assert settings.SPECTACULAR_SETTINGS["VERSION"] == served["info"]["version"]
