from ..history import MONDAY, working_days
from ..running import clusters_now, detect


def test_an_officer_approving_what_they_checked_is_flagged_with_the_cluster(history):
    officers = history.staff(3)
    ring = history.ring()
    for k, day in enumerate(working_days(MONDAY, 4)):
        history.ordinary_day(day, officers, 8)
        for account in ring[:2]:
            history.serve(history.booking(account, day), day, officers[0], start=f"1{3 + k % 2}:00")
        history.serve(history.booking(ring[2], day), day, {"*": officers[1], "APPROVE": officers[0]},
                      steps=("CHECK_IN", "VERIFY_DOCUMENTS", "APPROVE"), start="15:00")
    history.load()
    drafts = detect("four_eyes_and_skips", clusters=clusters_now())
    assert [d.subject_id for d in drafts] == [officers[0]]
    evidence = drafts[0].evidence
    assert evidence["four_eyes_breaches"] == 8 and evidence["skipped_steps"] == 4
    assert evidence["peer_rate"] == 0 and {"cluster": evidence["top_cluster"]} in drafts[0].subjects


def test_the_only_officer_on_duty_at_a_small_unit_is_not_flagged(history):
    officer = history.staff(1)
    for day in working_days(MONDAY, 4):
        history.ordinary_day(day, officer, 6)
    history.load()
    assert detect("four_eyes_and_skips") == []
