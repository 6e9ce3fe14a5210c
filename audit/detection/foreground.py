"""A whole run in the foreground: the same parts the workers take, one after another."""

from __future__ import annotations

import datetime as dt

from tqdm import tqdm

from .choices import RunKind
from .models import DetectionRun
from .services import runs


def run_in_foreground(*, actor, kind: str = RunKind.INCREMENTAL, since: dt.datetime | None = None,
                      everything: bool = False, progress: bool = True) -> DetectionRun | None:
    """Start a run and work every part here, with a progress bar; None when none was started."""
    run = runs.detection_run_start(actor=actor, kind=kind, since=since, everything=everything)
    if run is None:
        return None
    try:
        for part in tqdm(run.parts, desc=f"detection run {run.pk}", unit="part", disable=not progress):
            runs.run_part(run.pk, part)
        return runs.run_finish(run.pk)
    except BaseException as exc:
        runs.run_fail(run.pk, f"{type(exc).__name__}: {exc}")
        raise
