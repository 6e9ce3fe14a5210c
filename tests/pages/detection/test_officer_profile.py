"""An officer's profile: workload per day and per step beside the peers' medians at the same
office, the findings naming the officer and their rank."""

from __future__ import annotations

import datetime as dt

from audit.detection.models import Finding
from tests.audit.detection.findings import finding_about
from tests.audit.detection.history import MONDAY

from .conftest import rebuild_subjects

DAYS = [MONDAY, MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)]


def _check_ins(history, nip: str, day: dt.date, count: int, *, step: str = "CHECK_IN") -> None:
    for index in range(count):
        ref = history.booking(history.account(), day)
        history.serve(ref, day, nip, start=f"{8 + index // 6:02d}:{(index % 6) * 10:02d}", steps=(step,),
                      collected_by=None)


def _office_with_a_busy_officer(history):
    """Officer X checks in 10 a day; peers A and B check in 4 and 6; X also approves 3 on the first day."""
    busy, peer_a, peer_b = history.staff(3)
    for day in DAYS:
        _check_ins(history, busy, day, 10)
        _check_ins(history, peer_a, day, 4)
        _check_ins(history, peer_b, day, 6)
    _check_ins(history, busy, DAYS[0], 3, step="APPROVE")
    _check_ins(history, peer_a, DAYS[0], 1, step="APPROVE")
    history.load()
    return busy


def test_each_day_sets_the_officer_beside_the_median_of_the_peers_at_work(network, as_user, history):
    busy = _office_with_a_busy_officer(history)
    response = as_user(network.auditor).get(f"/findings/officers/{busy}/")
    days = [(d.day, d.own, d.peer_median, d.peers) for d in response.context["workload"].days]
    assert days == [(DAYS[0], 13, 5.5, 2), (DAYS[1], 10, 5.0, 2), (DAYS[2], 10, 5.0, 2)]
    assert response.context["office"].code == "KANIM-H"
    assert response.context["chart"]["series"][0]["values"] == [13, 10, 10]


def test_each_step_compares_the_officers_rate_per_working_day_with_the_peers_median(network, as_user, history):
    busy = _office_with_a_busy_officer(history)
    response = as_user(network.auditor).get(f"/findings/officers/{busy}/")
    steps = {s["step"].action: (s["step"].own, s["step"].peer_median, s["step"].ratio)
             for s in response.context["steps"]}
    # Check-ins: 10 a day against peers at 4 and 6 (median 5). Approvals: 3 in three days (1 a day)
    # against one approval in A's three days and none of B's (median 1/6).
    assert steps["CHECK_IN"] == (10.0, 5.0, 2.0)
    assert steps["APPROVE"][0] == 1.0 and round(steps["APPROVE"][1], 4) == round(1 / 6, 4)


def test_the_profile_lists_the_officers_findings_and_rank(network, as_user, history):
    busy = _office_with_a_busy_officer(history)
    other = finding_about(nip=busy, office=network.kanim_a, detector="queue_jumping", score=0.5)
    ranking = finding_about(nip=busy, office=network.kanim_a, detector="officer_peer_ranking", score=0.8)
    Finding.objects.filter(pk=ranking.pk).update(subject_id=busy, evidence={
        "office_rank": 1, "office_flagged": 3, "network_rank": 4, "network_flagged": 40})
    rebuild_subjects()
    response = as_user(network.auditor).get(f"/findings/officers/{busy}/")
    html = response.content.decode()
    assert [f.pk for f in response.context["findings"]] == [ranking.pk, other.pk]
    assert response.context["ranking"]["office_rank"] == 1
    assert "1 of 3" in html and "4 of 40" in html
    assert round(response.context["risk"].risk, 2) == 0.9


def test_an_officer_without_counter_work_still_has_a_profile_of_findings(network, as_user):
    nip = network.officer_a.staff.nip
    finding = finding_about(nip=nip, office=network.kanim_a)
    response = as_user(network.auditor).get(f"/findings/officers/{nip}/")
    assert response.status_code == 200 and response.context["workload"].days == []
    assert [f.pk for f in response.context["findings"]] == [finding.pk]


def test_the_profile_costs_the_same_queries_however_much_work(network, as_user, history,
                                                              django_assert_max_num_queries):
    busy = _office_with_a_busy_officer(history)
    client = as_user(network.auditor)
    with django_assert_max_num_queries(18):
        assert client.get(f"/findings/officers/{busy}/").status_code == 200
    for day in DAYS:
        _check_ins(history, busy, day + dt.timedelta(days=7), 12)
    history.load()
    with django_assert_max_num_queries(18):
        response = client.get(f"/findings/officers/{busy}/")
    assert len(response.context["workload"].days) == 6
