"""A scenario is a pure function of its parameters and seed."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

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


def test_another_process_with_another_hash_seed_writes_the_same_bytes(tiny):
    script = ("import hashlib, io, sys; from audit.detection.scenario import SIZES, scenario_generate; "
              "out = io.BytesIO(); scenario_generate(SIZES['tiny'], output=out); "
              "sys.stdout.write(hashlib.sha256(out.getvalue()).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(Path(__file__).resolve().parents[3])}

    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)

    assert result.stdout == hashlib.sha256(tiny.raw).hexdigest()
