from ..findings import finding_about
from ..running import detect


def test_an_officer_named_by_several_detectors_is_ranked_first(network):
    nip = network.officer_a.staff.nip
    finding_about(nip=nip, office=network.kanim_a, detector="four_eyes_and_skips", score=0.6)
    finding_about(nip=nip, office=network.kanim_a, detector="queue_jumping", score=0.5)
    finding_about(nip=network.head_a.staff.nip, office=network.kanim_a, detector="queue_jumping", score=0.9)
    drafts = detect("officer_peer_ranking")
    assert [d.subject_id for d in drafts] == [nip]
    evidence = drafts[0].evidence
    assert evidence["combined"] == 0.8 and evidence["office_rank"] == 2 and evidence["office_flagged"] == 2


def test_one_loud_detector_alone_does_not_make_a_ranking(network):
    finding_about(nip=network.officer_a.staff.nip, office=network.kanim_a, detector="queue_jumping", score=0.99)
    assert detect("officer_peer_ranking") == []
