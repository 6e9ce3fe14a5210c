"""The counter: who is on duty, who does which step, and the order applicants are called in.

Checked-in applicants are called in check-in order, priority first, by whichever verification
counter frees up first; nobody is called before opening. The exception is a broker's client:
the colluding officer calls them the moment they are checked in (before opening, too), ahead
of everyone waiting. Later steps go to the step's counter that is free first, so the approver
is never the verifier nor the interviewer, except where a colluding officer does it all.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

from .network import Site, Staff


@dataclass
class Roster:
    """Who does what at one office on one day."""

    front_desk: Staff
    verify: list[Staff]
    biometrics: list[Staff]  # empty: the verifier takes photo and fingerprints too
    interview: list[Staff]
    approve: list[Staff]
    on_duty: list[Staff] = field(default_factory=list)


def roster_for(
    site: Site, *, rng: random.Random, absence_rate: float, keep: set[str], everyone: bool
) -> Roster:
    """The day's roster. ``keep`` (colluders) are never off and always at verification;
    ``everyone`` (a clearance directive day) brings every officer in."""
    desk, *rest = site.officers
    head = site.head
    if site.is_small_unit:
        # One officer serves nearly everyone; the second comes in now and then.
        helpers = [person for person in rest if everyone or rng.random() < 0.1]
        counter = [desk, *helpers]
        return Roster(desk, counter, [], counter, [head], on_duty=[desk, *helpers, head])
    present = [person for person in rest if everyone or person.nip in keep or rng.random() >= absence_rate]
    present.sort(key=lambda person: person.nip not in keep)  # colluders first: they verify
    count = len(present)
    if count == 0:
        return Roster(desk, [desk], [], [desk], [head], on_duty=[desk, head])
    if count == 1:
        return Roster(desk, present, [], present, [head], on_duty=[desk, *present, head])
    if count == 2:
        return Roster(desk, present[:1], [], present[1:], [head], on_duty=[desk, *present, head])
    approvers = 1 if count <= 5 else 2
    remaining = count - approvers
    interviewers = max(1, round(0.3 * remaining))
    biometric = max(1, round(0.25 * remaining)) if remaining >= 3 else 0
    verifiers = remaining - interviewers - biometric
    return Roster(
        desk,
        present[:verifiers],
        present[verifiers : verifiers + biometric],
        present[verifiers + biometric : verifiers + biometric + interviewers],
        present[count - approvers :],
        on_duty=[desk, *present, head],
    )


def call_order(applicants: list, counters: list[Staff], *, opens: int, hold) -> None:
    """Assign ``verify_at`` and ``verifier`` to every applicant (sorted by ``checked_in``).

    ``hold(applicant)`` is how long the applicant keeps the counter. A broker's client (with
    ``insider`` set) waits only for that officer and is called ahead of everyone.
    """
    # (free from, idle since, counter): of counters free together, the one idle longest calls next.
    starts = [min(opens, min((a.checked_in for a in applicants if a.insider == staff.nip), default=opens))
              for staff in counters]
    clock = [(start, start, number) for number, start in enumerate(starts)]
    heapq.heapify(clock)
    priority: list = []
    normal: list = []
    insiders: dict[str, list] = {}
    position = 0
    total = len(applicants)
    while clock:
        free, idle_since, number = heapq.heappop(clock)
        nip = counters[number].nip
        while position < total and applicants[position].checked_in <= free:
            applicant = applicants[position]
            if applicant.insider:
                heapq.heappush(insiders.setdefault(applicant.insider, []), (applicant.checked_in, position))
            elif applicant.priority:
                heapq.heappush(priority, (applicant.checked_in, position))
            else:
                heapq.heappush(normal, (applicant.checked_in, position))
            position += 1
        queue = insiders.get(nip)
        if not queue and free >= opens:
            queue = priority or normal
        if not queue:
            upcoming = []
            if position < total:
                upcoming.append(applicants[position].checked_in)
            if free < opens and (priority or normal):
                upcoming.append(opens)
            if upcoming:
                heapq.heappush(clock, (max(free + 1, min(upcoming)), idle_since, number))
            continue
        _at, index = heapq.heappop(queue)
        applicant = applicants[index]
        applicant.verify_at = free
        applicant.verifier = counters[number]
        done = free + hold(applicant)
        heapq.heappush(clock, (done, done, number))


def earliest(counters: list[list], ready: int) -> tuple[int, int]:
    """The counter (index) that can take an applicant ready at ``ready``, and when it starts;
    of counters free together, the one idle longest."""
    best = min(range(len(counters)), key=lambda index: (max(counters[index][0], ready), counters[index][0]))
    return best, max(counters[best][0], ready)
