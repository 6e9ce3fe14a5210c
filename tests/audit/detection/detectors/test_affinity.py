from ..history import MONDAY, working_days
from ..running import clusters_now, detect


def _office_with_ring(history, *, officers, insider, days=8, ordinary=10, ring_per_day=2):
    ring = history.ring()
    for n, day in enumerate(working_days(MONDAY, days)):
        history.ordinary_day(day, officers, ordinary)
        for k in range(ring_per_day):
            ref = history.booking(ring[(n + k) % len(ring)], day)
            handler = insider or officers[(n * ring_per_day + k) % len(officers)]
            others = [o for o in officers if o != handler] or [handler]
            history.serve(ref, day, {"*": handler, "APPROVE": others[(n + k) % len(others)]},
                          start=f"{12 + k}:00")
    history.load()
    return ring


def test_an_officer_handling_a_clusters_bookings_far_beyond_their_share_is_flagged(history):
    officers = history.staff(4)
    _office_with_ring(history, officers=officers, insider=officers[0])
    drafts = detect("officer_cluster_affinity", clusters=clusters_now())
    assert [d.subject_id for d in drafts] == [officers[0]]
    evidence = drafts[0].evidence
    assert evidence["handled"] == 16 and evidence["cluster_bookings"] == 16
    assert evidence["q_value"] <= 0.01 and evidence["expected"] < 12
    assert drafts[0].event_ids and len(drafts[0].booking_refs) == 16


def test_a_cluster_served_by_whoever_is_at_the_counter_flags_nobody(history):
    officers = history.staff(4)
    _office_with_ring(history, officers=officers, insider=None)
    assert detect("officer_cluster_affinity", clusters=clusters_now()) == []


def test_the_only_officer_of_a_small_unit_serving_a_cluster_is_not_flagged(history):
    officers = history.staff(1)
    _office_with_ring(history, officers=officers, insider=officers[0], ordinary=4)
    assert detect("officer_cluster_affinity", clusters=clusters_now()) == []
