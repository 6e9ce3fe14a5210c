"""Accounts joined into components through the identifiers they share."""

from audit.detection.detectors.clusters import _components


def test_links_through_different_identifiers_join_one_component_keyed_by_its_lowest_account():
    edges = [("phone:62811", [7, 3]), ("device:d1", [3, 12]), ("email:x@example.invalid", [12, 40, 41]),
             ("ip:10.0.0.1", [90, 91])]
    assert _components(edges, smallest=3) == {3: [3, 7, 12, 40, 41]}
    assert _components(edges, smallest=2) == {3: [3, 7, 12, 40, 41], 90: [90, 91]}


def test_no_shared_identifier_makes_no_component():
    assert _components([], smallest=2) == {}
