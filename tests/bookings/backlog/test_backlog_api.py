from audit.models import Event
from bookings.services.backlog import directive_set


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_supervisors_see_the_network(network, api):
    response = api.as_user(network.supervisor).get("/api/v1/backlog/")
    assert response.status_code == 200 and codes(response) == ["KANIM-A", "KANIM-B", "ULP-A1"]


def test_office_heads_see_their_office_and_units(network, api):
    response = api.as_user(network.head_a).get("/api/v1/backlog/")
    assert codes(response) == ["KANIM-A", "ULP-A1"]


def test_filter_by_kanim_takes_its_units(network, api):
    response = api.as_user(network.supervisor).get("/api/v1/backlog/", {"kanim": "KANIM-A"})
    assert codes(response) == ["KANIM-A", "ULP-A1"]


def test_filter_offices_under_a_directive(network, api):
    directive_set(actor=network.supervisor, offices=[network.kanim_b], within_days=14)
    response = api.as_user(network.supervisor).get("/api/v1/backlog/", {"has_directive": "true"})
    assert codes(response) == ["KANIM-B"]


def test_rows_carry_the_backlog_and_projection(network, api, counter):
    counter.served(1)
    counter.walk_in(2)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=14)
    response = api.as_user(network.supervisor).get("/api/v1/backlog/", {"office": counter.office.code})
    (row,) = response.json()["results"]
    assert row["waiting"] == 1 and row["served_not_issued"] == 1 and row["decided_recent"] == 1
    assert row["deadline"] and row["clearance_date"] and row["on_track"] is True
    assert row["next_free_slot"] is not None


def test_the_list_is_one_query_whatever_the_number_of_offices(network, api, counter, django_assert_max_num_queries):
    api.as_user(network.supervisor)
    with django_assert_max_num_queries(8) as first:
        api.get("/api/v1/backlog/")
    for serial in range(3):
        from tests import builders

        builders.office(f"KANIM-X{serial}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = api.get("/api/v1/backlog/")
    assert len(response.json()["results"]) == 7


def test_directive_set_leaves_an_event(network, api):
    response = api.as_user(network.supervisor).post("/api/v1/backlog/directives/", {
        "offices": ["KANIM-A", "KANIM-B"], "within_days": 14, "note": "Clear within two weeks",
        "extra_service_allowed": True}, format="json")
    assert response.status_code == 201, response.content
    assert Event.objects.filter(action="DIRECTIVE_SET").count() == 2


def test_an_office_head_may_not_set_directives(network, api):
    response = api.as_user(network.head_a).post("/api/v1/backlog/directives/", {
        "offices": ["KANIM-A"], "within_days": 14}, format="json")
    assert response.status_code == 403


def test_an_unknown_office_is_404(network, api):
    response = api.as_user(network.supervisor).post("/api/v1/backlog/directives/", {
        "offices": ["KANIM-A", "NOPE"], "within_days": 14}, format="json")
    assert response.status_code == 404 and not Event.objects.filter(action="DIRECTIVE_SET").exists()


def test_directives_listed_in_scope(network, api):
    directive_set(actor=network.supervisor, offices=[network.kanim_a, network.kanim_b], within_days=14)
    response = api.as_user(network.head_b).get("/api/v1/backlog/directives/")
    assert [d["office"] for d in response.json()["results"]] == ["KANIM-B"]
