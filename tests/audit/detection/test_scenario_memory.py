"""Memory stays flat as a scenario grows: office-days are generated one at a time."""

import tracemalloc

from audit.detection.scenario import SIZES, scenario_generate


class Sink:
    """A write-only stream that keeps nothing but a byte count."""

    def __init__(self):
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def _peak(bookings: int, days: int) -> tuple[int, int]:
    params = SIZES["tiny"].with_overrides(bookings=bookings, days=days)
    records, truth = Sink(), Sink()
    tracemalloc.start()
    try:
        scenario_generate(params, output=records, truth=truth)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, records.size


def test_peak_memory_barely_grows_when_the_scenario_grows_fourfold():
    small_peak, small_size = _peak(1_500, 7)
    large_peak, large_size = _peak(6_000, 28)  # four times the days at the same daily load

    assert large_size > 3.5 * small_size
    assert large_peak < 1.25 * small_peak
