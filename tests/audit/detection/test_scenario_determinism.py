"""A scenario is a pure function of its parameters and seed."""

from audit.detection.scenario import SIZES

from .conftest import generate


def test_same_seed_gives_byte_identical_records_and_truth(tiny):
    raw, truth = generate(SIZES["tiny"])

    assert raw == tiny.raw
    assert truth == tiny.truth_raw


def test_different_seeds_give_different_records(tiny):
    raw, truth = generate(SIZES["tiny"].with_overrides(seed=2))

    assert raw != tiny.raw
    assert truth != tiny.truth_raw
    assert sum(line.startswith(b'{"kind":"booking"') for line in raw.splitlines()) == SIZES["tiny"].bookings
