from ..history import MONDAY, working_days
from ..running import detect

BROKER_NIK = "3174011205800007"


def _staffed(history):
    officers = history.staff(3)
    for day in working_days(MONDAY, 3):
        history.ordinary_day(day, officers, 6)
    return officers


def test_one_person_collecting_for_many_accounts_and_the_officer_handing_them_are_flagged(history):
    officers = _staffed(history)
    ring = history.ring()
    for k, day in enumerate(working_days(MONDAY, 6)):
        ref = history.booking(ring[k % len(ring)], day)
        history.serve(ref, day, {"*": officers[1], "APPROVE": officers[2]}, start="13:00",
                      collected_by=BROKER_NIK, hand_over_by=officers[0])
    history.load()
    drafts = detect("third_party_hand_over")
    collector = next(d for d in drafts if d.subject_type == "collector")
    assert collector.category == "BROKER" and collector.evidence["accounts"] == 4
    assert BROKER_NIK not in str(collector.evidence) and BROKER_NIK not in collector.subject_id
    assert [d.subject_id for d in drafts if d.subject_type == "staff"] == [officers[0]]


def test_a_parent_collecting_the_familys_passports_is_not_flagged(history):
    officers = _staffed(history)
    family = history.account()
    for _ in range(3):
        ref = history.booking(family, MONDAY)
        history.serve(ref, MONDAY, {"*": officers[1], "APPROVE": officers[2]}, start="13:00",
                      collected_by="3174014506700002", hand_over_by=officers[0])
    history.load()
    assert detect("third_party_hand_over") == []
