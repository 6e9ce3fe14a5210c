import datetime as dt

from django.utils import timezone

from audit.models import Event
from bookings.models import Ballot
from bookings.services.ballot_draw import ballot_run
from tests.bookings import builders as booking_builders
from tests.bookings.ballot import builders


def ballot_body(network, day, **changes):
    local_now = timezone.now().astimezone(network.kanim_a.zone).replace(tzinfo=None, microsecond=0)
    return {"office": network.kanim_a.code, "date": day.isoformat(),
            "opens_at": (local_now - dt.timedelta(hours=1)).isoformat(),
            "closes_at": (local_now + dt.timedelta(hours=1)).isoformat(), "places": 20} | changes


def entry_body(ballot, serial=1, **changes):
    return {"ballot": ballot.ref, "service": "NEW", "nik": booking_builders.nik_for(serial),
            "name": f"Pemohon {serial}", "birth_date": "1990-05-17", "phone": "081234567890"} | changes


def test_ballot_create_leaves_an_event(network, api, ballot_day):
    response = api.as_user(network.head_a).post("/api/v1/ballots/", ballot_body(network, ballot_day),
                                                format="json")
    assert response.status_code == 201, response.content
    assert Event.objects.filter(action="BALLOT_CREATE", target_id=response.json()["ref"]).exists()


def test_a_window_without_offset_is_office_time(network, api, ballot_day):
    body = ballot_body(network, ballot_day)
    response = api.as_user(network.head_a).post("/api/v1/ballots/", body, format="json")
    ballot = Ballot.objects.get(ref=response.json()["ref"])
    assert ballot.opens_at == dt.datetime.fromisoformat(body["opens_at"]).replace(tzinfo=network.kanim_a.zone)


def test_an_officer_is_refused_with_403(network, api, ballot_day):
    response = api.as_user(network.officer_a).post("/api/v1/ballots/", ballot_body(network, ballot_day),
                                                   format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_a_ballot_of_another_office_is_404(network, api, ballot):
    response = api.as_user(network.head_b).get(f"/api/v1/ballots/{ballot.ref}/")
    assert response.status_code == 404


def test_staff_list_ballots_in_scope_filtered_by_office(network, api, ballot):
    response = api.as_user(network.supervisor).get("/api/v1/ballots/", {"office": "KANIM-A"})
    assert [b["ref"] for b in response.json()["results"]] == [ballot.ref]


def test_applicants_see_open_ballots(network, api, ballot, applicant_user):
    response = api.as_user(applicant_user).get("/api/v1/ballots/open/")
    assert response.status_code == 200
    assert [b["ref"] for b in response.json()["results"]] == [ballot.ref]


def test_ballot_enter_leaves_an_event(network, api, ballot, applicant_user):
    response = api.as_user(applicant_user).post("/api/v1/my/ballot-entries/", entry_body(ballot, 5),
                                                format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "PENDING" and body["nik"] == "317401******0005"
    assert Event.objects.filter(action="BALLOT_ENTER", target_id=str(body["id"])).exists()


def test_a_second_entry_for_the_nik_is_409(network, api, ballot, applicant_user):
    api.as_user(applicant_user).post("/api/v1/my/ballot-entries/", entry_body(ballot, 6), format="json")
    response = api.post("/api/v1/my/ballot-entries/", entry_body(ballot, 6), format="json")
    assert response.status_code == 409 and response.json()["code"] == "ballot_nik_entered"


def test_staff_may_not_enter(network, api, ballot):
    response = api.as_user(network.officer_a).post("/api/v1/my/ballot-entries/", entry_body(ballot, 7),
                                                   format="json")
    assert response.status_code == 403


def test_applicants_see_their_outcome_and_notice(network, api, ballot, applicant_user, other_applicant_user):
    builders.enter(applicant_user, ballot, 8)
    builders.enter(other_applicant_user, ballot, 9)
    builders.close_window(ballot)
    ballot_run(ballot_id=ballot.pk)
    response = api.as_user(applicant_user).get("/api/v1/my/ballot-entries/")
    (entry,) = response.json()["results"]
    assert entry["outcome"] == "WON" and entry["booking_code"] and entry["booking_code"] in entry["notice"]


def test_verify_reruns_the_draw(network, api, ballot, applicant_user):
    builders.entrants(ballot, 5, per_account=5)
    builders.close_window(ballot)
    ballot_run(ballot_id=ballot.pk)
    response = api.as_user(network.auditor).get(f"/api/v1/ballots/{ballot.ref}/verify/")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert response.json()["entries"] == 5


def test_verify_before_the_draw_is_409(network, api, ballot):
    response = api.as_user(network.supervisor).get(f"/api/v1/ballots/{ballot.ref}/verify/")
    assert response.status_code == 409 and response.json()["code"] == "ballot_not_drawn"


def test_the_ballot_list_does_not_query_per_ballot(network, api, ballot, django_assert_max_num_queries):
    api.as_user(network.supervisor)
    with django_assert_max_num_queries(10) as first:
        api.get("/api/v1/ballots/")
    builders.ballot(network.head_b, network.kanim_b, ballot.service_date)
    builders.ballot(network.head_a, network.unit_a, ballot.service_date)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = api.get("/api/v1/ballots/")
    assert response.json()["count"] == 3


def test_the_entry_list_does_not_query_per_entry(network, api, ballot, applicant_user,
                                                 django_assert_max_num_queries):
    builders.enter(applicant_user, ballot, 70)
    api.as_user(applicant_user)
    with django_assert_max_num_queries(10) as first:
        api.get("/api/v1/my/ballot-entries/")
    for serial in (71, 72, 73):
        builders.enter(applicant_user, ballot, serial)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = api.get("/api/v1/my/ballot-entries/")
    assert response.json()["count"] == 4
