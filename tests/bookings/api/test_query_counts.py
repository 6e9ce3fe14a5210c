"""Lists answer in a fixed number of queries, however many rows they show (no N+1)."""

from django.db import connection

from tests.bookings import builders


def queries_for(client, url, params=None) -> int:
    """Statements sent to PostgreSQL while answering one GET (counted at the driver's door,
    since Django clears its own query log when a request starts)."""
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url, params or {}).status_code == 200
    assert statements, "no statement was seen: the count would prove nothing"
    return len(statements)


def test_staff_list_does_not_grow_with_rows(network, api, applicant_user, day):
    client = api.as_user(network.head_a)
    builders.booking(applicant_user, network.kanim_a, day)
    one = queries_for(client, "/api/v1/bookings/")
    for _ in range(4):
        builders.booking(applicant_user, network.kanim_a, day)
    assert queries_for(client, "/api/v1/bookings/") == one


def test_applicant_list_does_not_grow_with_rows(network, api, applicant_user, day):
    client = api.as_user(applicant_user)
    builders.booking(applicant_user, network.kanim_a, day)
    one = queries_for(client, "/api/v1/my/bookings/")
    for _ in range(4):
        builders.booking(applicant_user, network.kanim_a, day)
    assert queries_for(client, "/api/v1/my/bookings/") == one


def test_capacity_view_does_not_grow_with_slots(network, api, day):
    client = api.as_user(network.head_a)
    params = {"office": "KANIM-A", "date": day.isoformat()}
    queries_for(client, "/api/v1/capacity/", params)  # the first call makes the day's slots
    assert queries_for(client, "/api/v1/capacity/", params) <= 12
