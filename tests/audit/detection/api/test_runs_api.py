from ..history import MONDAY


def test_runs_are_listed_for_auditors_with_their_progress(api, network, history):
    from audit.detection.foreground import run_in_foreground
    from tests.builders import SYSTEM

    bot = history.account()
    history.booking(bot, MONDAY)
    history.load()
    run = run_in_foreground(actor=SYSTEM, kind="FULL", everything=True, progress=False)
    rows = api.as_user(network.auditor).get("/api/v1/detection/runs/").data["results"]
    assert [(row["id"], row["status"], row["progress"]) for row in rows] == [(run.pk, "SUCCEEDED", 1.0)]
    assert rows[0]["duration_seconds"] >= 0


def test_an_officer_sees_no_runs_and_cannot_start_one(api, network):
    assert api.as_user(network.officer_a).get("/api/v1/detection/runs/").data["count"] == 0
    assert api.as_user(network.officer_a).post("/api/v1/detection/runs/", {"kind": "FULL"}).status_code == 404


def test_an_auditor_starts_a_run_that_waits_for_the_workers(api, network, history):
    history.booking(history.account(), MONDAY)
    history.load()
    response = api.as_user(network.auditor).post("/api/v1/detection/runs/", {"kind": "FULL"})
    assert response.status_code == 202
    assert response.data["status"] == "RUNNING" and response.data["parts"][0] == "network"
    assert response.data["triggered_by"] == network.auditor.staff.nip


def test_a_second_start_while_a_run_is_in_progress_is_a_conflict(api, network, history):
    history.booking(history.account(), MONDAY)
    history.load()
    client = api.as_user(network.auditor)
    assert client.post("/api/v1/detection/runs/", {"kind": "FULL"}).status_code == 202
    assert client.post("/api/v1/detection/runs/", {"kind": "FULL"}).status_code == 409
