import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.detection.choices import RunKind, RunStatus
from audit.detection.foreground import run_in_foreground
from audit.detection.models import DetectionRun, Finding, SubjectRisk
from audit.detection.services import detection_run_start, run_finish, run_part
from audit.detection.services.runs import RUN_LOCK_KEY, run_next
from audit.models import Event
from tests.builders import SYSTEM

from ..findings import finding_about
from ..history import MONDAY


def _plant_bot(history):
    bot = history.account()
    created = dt.datetime.combine(MONDAY - dt.timedelta(days=10), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(20):
        history.booking(bot, MONDAY, status="NO_SHOW", created=(created + dt.timedelta(minutes=k)).isoformat())
    history.load()
    return bot


def test_a_full_run_records_its_window_parts_counts_and_findings(history):
    bot = _plant_bot(history)
    run = run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    assert run.status == RunStatus.SUCCEEDED
    assert run.parts[:3] == ["network", "accounts", "clustered"] and sorted(run.parts_done) == sorted(run.parts)
    assert run.counts["bots"] >= 1 and run.findings_total == sum(run.counts.values())
    assert run.window_from <= dt.datetime(2025, 2, 21, tzinfo=dt.UTC) and run.duration_seconds >= 0
    assert Finding.objects.filter(detector="bots", subject_id=bot, last_run=run).exists()
    assert Event.objects.filter(action="DETECTION_RUN_START", target_id=str(run.pk)).exists()


def test_a_rerun_updates_findings_instead_of_duplicating_them(history):
    _plant_bot(history)
    first = run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    before = Finding.objects.count()
    second = run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    assert Finding.objects.count() == before
    assert set(Finding.objects.values_list("last_run", flat=True)) == {second.pk}
    assert set(Finding.objects.values_list("first_run", flat=True)) == {first.pk}


def test_a_retried_part_is_done_once(history):
    _plant_bot(history)
    run = detection_run_start(actor=SYSTEM, kind=RunKind.FULL, everything=True)
    first = run_part(run.pk, "accounts")
    again = run_part(run.pk, "accounts")
    run.refresh_from_db()
    assert first["bots"] >= 1 and again == {}
    assert run.parts_done == ["accounts"] and run.counts["bots"] == first["bots"]


def test_the_network_part_sends_what_reads_clusters_and_the_last_part_the_finish(history):
    # Bots and fictitious applications need no clusters: their part is sent with the network
    # part, not after it; the affinity test and the regions read the clusters and wait for it.
    _plant_bot(history)
    run = detection_run_start(actor=SYSTEM, kind=RunKind.FULL, everything=True)
    regions = [part for part in run.parts if part.startswith("region:")]
    assert run.parts == ["network", "accounts", "clustered", *regions] and regions
    run_part(run.pk, "accounts")
    assert run_next(run.pk, "accounts") == ([], False)
    run_part(run.pk, "network")
    assert run_next(run.pk, "network") == (["clustered", *regions], False)
    for part in ("clustered", *regions):
        run_part(run.pk, part)
    assert run_next(run.pk, regions[-1]) == ([], True)
    assert run_finish(run.pk).status == RunStatus.SUCCEEDED


def test_a_run_does_not_finish_before_its_parts(history):
    _plant_bot(history)
    run = detection_run_start(actor=SYSTEM, kind=RunKind.FULL, everything=True)
    with pytest.raises(RuntimeError, match="parts not done"):
        run_finish(run.pk)


def test_a_second_run_does_not_start_while_one_is_running(history):
    _plant_bot(history)
    assert detection_run_start(actor=SYSTEM, kind=RunKind.FULL) is not None
    assert detection_run_start(actor=SYSTEM, kind=RunKind.FULL) is None


def test_the_database_refuses_two_running_runs(db):
    now = timezone.now()
    DetectionRun.objects.create(kind=RunKind.FULL, window_from=now, window_to=now, started_at=now)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO detection_detectionrun (kind, status, triggered_by, window_from, window_to,"
                       " after_event_id, through_event_id, parts, parts_done, counts, findings_total,"
                       " started_at, error) VALUES ('FULL', 'RUNNING', '', now(), now(), 0, 0, '{}', '{}',"
                       " '{}', 0, now(), '')")


def test_a_run_whose_workers_died_is_failed_when_the_next_one_starts(history, settings):
    _plant_bot(history)
    stale = timezone.now() - dt.timedelta(minutes=settings.DETECTION_RUN_STALE_MINUTES + 1)
    abandoned = DetectionRun.objects.create(kind=RunKind.FULL, window_from=stale, window_to=stale,
                                            started_at=stale)
    assert detection_run_start(actor=SYSTEM, kind=RunKind.FULL) is not None
    abandoned.refresh_from_db()
    assert abandoned.status == RunStatus.FAILED and "abandoned" in abandoned.error


def test_an_incremental_run_with_nothing_new_does_not_start(history):
    _plant_bot(history)
    run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    assert detection_run_start(actor=SYSTEM, kind=RunKind.INCREMENTAL) is None


def test_an_incremental_run_covers_the_regions_of_new_events_only(history, network):
    _plant_bot(history)
    run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    history.office = network.kanim_b.code  # Sulawesi Selatan, a region of its own
    history.serve(history.booking(None, MONDAY, office=network.kanim_b.code), MONDAY,
                  history.staff(office=network.kanim_b.code)[0], office=network.kanim_b.code)
    history.load()
    run = detection_run_start(actor=SYSTEM, kind=RunKind.INCREMENTAL)
    assert run.parts == ["network", "accounts", "clustered", f"region:{network.kanim_b.region_id}"]
    assert run.window_from <= dt.datetime(2025, 3, 3, tzinfo=dt.UTC)


def test_a_run_does_not_start_while_another_process_holds_the_lock(history, other_connection):
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK_KEY])
    try:
        assert detection_run_start(actor=SYSTEM, kind=RunKind.FULL) is None
    finally:
        with other_connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])


def test_a_subjects_risk_combines_detectors_as_independent_signals(network):
    finding_about(account="acc-x", detector="bots", score=0.5)
    finding_about(account="acc-x", detector="fictitious_applications", score=0.5)
    finding_about(account="acc-x", detector="fictitious_applications", score=0.2)
    from audit.detection.services.findings import subject_risk_rebuild

    with transaction.atomic():
        subject_risk_rebuild()
    subject = SubjectRisk.objects.get(subject_type="account", subject_id="acc-x")
    assert subject.risk == pytest.approx(0.75)
    assert subject.finding_count == 3 and subject.detectors == ["bots", "fictitious_applications"]


def test_a_full_run_withdraws_findings_it_no_longer_confirms(history, network):
    bot = _plant_bot(history)
    run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    from audit.detection.services import allowlist_add

    allowlist_add(actor=network.auditor, kind="account", value=bot, reason="The registry's test account")
    run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    assert not Finding.objects.filter(detector="bots", subject_id=bot).exists()


def test_a_finding_a_case_rests_on_is_kept_when_no_longer_confirmed(history, network):
    from audit.detection.services import allowlist_add, case_open

    bot = _plant_bot(history)
    run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    finding = Finding.objects.get(detector="bots", subject_id=bot)
    case_open(actor=network.auditor, title="Bot", findings=[finding])
    allowlist_add(actor=network.auditor, kind="account", value=bot, reason="The registry's test account")
    run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_an_account_registered_long_ago_does_not_reopen_those_years(history):
    _plant_bot(history)
    run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, everything=True, progress=False)
    old = history.account(created=dt.date(2019, 6, 3))
    history.booking(old, MONDAY + dt.timedelta(days=30), created="2025-03-20T10:00:00+07:00")
    history.load()
    run = detection_run_start(actor=SYSTEM, kind=RunKind.INCREMENTAL)
    assert run.window_from == dt.datetime(2025, 3, 19, 3, tzinfo=dt.UTC)
