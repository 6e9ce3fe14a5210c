"""The ground truth names what the records really contain: planted abuse and normal oddities."""

import datetime as dt
import itertools
from collections import Counter, defaultdict

from .conftest import at
from .records_v1 import nik_agrees, nik_is_valid

RATE_2017 = 72_000 / 3_100_000


def _handlers(tiny, ref):
    return {e["actor"]["staff"] for e in tiny.by_booking[ref] if "staff" in e["actor"]}


# ---------------------------------------------------------------- collusion
def test_colluding_officers_exist_at_the_ring_office(tiny):
    for ring in tiny.truth["collusion"]["rings"]:
        for nip in ring["officers"]:
            assert tiny.staff[nip]["office"] == ring["office"]
            assert tiny.staff[nip]["role"] == "OFFICER"


def test_colluding_officers_handle_ring_bookings_far_beyond_their_duty_share(tiny):
    for ring in tiny.truth["collusion"]["rings"]:
        refs = [i["booking"] for i in tiny.truth["collusion"]["ring_bookings"]
                if i["ring"] == ring["ring"] and i["officer"]]
        ordinary = [b["ref"] for b in tiny.bookings.values() if b["office"] == ring["office"]
                    and b["ref"] not in tiny.ring_bookings and tiny.step(b["ref"], "VERIFY_DOCUMENTS")]
        insiders = set(ring["officers"])
        ring_share = sum(bool(_handlers(tiny, r) & insiders) for r in refs) / len(refs)
        duty_share = sum(tiny.step(r, "VERIFY_DOCUMENTS")["actor"]["staff"] in insiders
                         for r in ordinary) / len(ordinary)
        assert len(refs) >= 10
        assert ring_share == 1.0
        assert ring_share > 2 * duty_share


def test_ring_accounts_are_linked_by_phone_device_or_ip(tiny):
    for ring in tiny.truth["collusion"]["rings"]:
        accounts = [tiny.accounts[ref] for ref in ring["accounts"]]
        for first, second in itertools.pairwise(accounts):
            shared = {key for key in ("phone", "device", "ip", "email") if first[key] == second[key]}
            assert shared, (first["ref"], second["ref"])


def test_ring_clients_are_many_different_people(tiny):
    refs = [i["booking"] for i in tiny.truth["collusion"]["ring_bookings"]]
    niks = {tiny.bookings[ref]["nik"] for ref in refs}

    assert len(niks) == len(refs)
    assert all(nik_is_valid(nik) for nik in niks)


def test_the_broker_collects_passports_handed_over_by_the_insider(tiny):
    collected = 0
    for ring in tiny.truth["collusion"]["rings"]:
        for item in tiny.truth["collusion"]["ring_bookings"]:
            hand_over = tiny.step(item["booking"], "HAND_OVER")
            if item["ring"] == ring["ring"] and "broker-collected" in item["traits"] and hand_over:
                assert hand_over["details"]["collected_by"] == ring["broker_nik"]
                assert hand_over["actor"]["staff"] == item["officer"]
                collected += 1
    assert collected >= 1


def test_ring_traits_are_visible_in_the_records(tiny):
    seen = Counter()
    for item in tiny.truth["collusion"]["ring_bookings"]:
        ref, traits = item["booking"], set(item["traits"])
        seen.update(traits)
        if "four-eyes-broken" in traits:
            assert tiny.step(ref, "APPROVE")["actor"]["staff"] == tiny.step(ref, "VERIFY_DOCUMENTS")["actor"]["staff"]
        if "interview-missing" in traits:
            assert tiny.step(ref, "INTERVIEW") is None and tiny.step(ref, "OVERRIDE") is None
        if "interview-overridden" in traits:
            assert tiny.step(ref, "OVERRIDE")["details"]["skipped"] == "INTERVIEW"
        if "before-opening" in traits:
            opens = tiny.offices[item["office"]]["opens_at"]
            assert at(tiny.step(ref, "VERIFY_DOCUMENTS")["at"]).time() < dt.time.fromisoformat(opens)
    assert {"queue-skipped", "four-eyes-broken", "before-opening", "broker-collected"} <= set(seen)
    assert seen["interview-missing"] + seen["interview-overridden"] >= 1


def test_a_released_slot_is_taken_by_a_linked_account_minutes_later(tiny):
    handovers = tiny.truth["collusion"]["slot_handovers"]
    assert handovers
    for item in handovers:
        released, taken = tiny.bookings[item["released"]], tiny.bookings[item["taken"]]
        cancel = tiny.step(item["released"], "BOOKING_CANCEL")
        gap = at(taken["created_at"]) - at(cancel["at"])
        assert released["status"] == "CANCELLED"
        assert (released["slot"], released["service_date"]) == (taken["slot"], taken["service_date"])
        assert dt.timedelta(0) < gap < dt.timedelta(minutes=15)
        assert released["account"] != taken["account"]


def test_a_quota_raise_by_the_colluding_head_ends_in_ring_hands(tiny):
    raises = tiny.truth["collusion"]["quota_raises"]
    assert raises
    rings = {ring["ring"]: ring for ring in tiny.truth["collusion"]["rings"]}
    for item in raises:
        assert item["by"] == rings[item["ring"]]["head"]
        change = next(e for e in tiny.events if e["action"] == "QUOTA_CHANGE" and e["at"] == item["at"])
        assert change["details"] == {"date": item["date"], "old": item["old"], "new": item["new"]}
        for ref in item["bookings"]:
            assert tiny.bookings[ref]["account"] in rings[item["ring"]]["accounts"]
            assert at(tiny.bookings[ref]["created_at"]) - at(item["at"]) < dt.timedelta(minutes=20)


def test_walk_in_insertions_by_the_insider_go_to_ring_clients(tiny):
    inserted = [i for i in tiny.truth["collusion"]["ring_bookings"] if "walk-in-insertion" in i["traits"]]
    assert inserted
    for item in inserted:
        assert tiny.step(item["booking"], "WALK_IN_INSERT")["actor"]["staff"] == item["officer"]
        assert tiny.bookings[item["booking"]]["account"] is None


def test_an_insider_logs_in_from_the_brokers_network(tiny):
    shared = tiny.truth["collusion"]["shared_logins"]
    assert shared
    for item in shared:
        login = next(e for e in tiny.events if e["action"] == "STAFF_LOGIN" and e["actor"]["staff"] == item["officer"]
                     and e["at"].startswith(item["date"]))
        assert (login["ip"], login["details"]["device"]) == (item["ip"], item["device"])
        assert item["accounts"]


# --------------------------------------------------------------------- bots
def test_bot_accounts_exist_with_their_attempt_counts(tiny):
    books = Counter(e["actor"]["account"] for e in tiny.events if e["action"] == "BOOK")
    for bot in tiny.truth["bots"]["accounts"]:
        assert bot["account"] in tiny.accounts
        assert books[bot["account"]] == bot["attempts"] > 0


def test_a_bot_books_seconds_apart_from_one_device_and_address(tiny):
    times = defaultdict(list)
    for event in tiny.events:
        if event["action"] == "BOOK" and event["actor"]["account"] in tiny.bot_accounts:
            times[event["actor"]["account"]].append(at(event["at"]))
            assert event["ip"] in tiny.truth["bots"]["ips"]
            assert event["details"]["device"] in tiny.truth["bots"]["devices"]
    for moments in times.values():
        moments.sort()
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(moments)]
        assert max(gaps, default=0) <= 16


def test_the_big_bot_has_the_most_attempts_in_one_registration(tiny):
    bots = tiny.truth["bots"]["accounts"]
    big = next(b for b in bots if b["band"] == "single-registration")
    logins = [e for e in tiny.events if e["action"] == "ACCOUNT_LOGIN" and e["actor"]["account"] == big["account"]]

    assert len(logins) == 1
    assert big["attempts"] >= max(b["attempts"] for b in bots) * 0.5


# ---------------------------------------------------------------- fictitious
def test_fictitious_share_is_near_the_2017_rate(tiny):
    share = len(tiny.fictitious_bookings) / len(tiny.bookings)

    assert abs(share - RATE_2017) < 0.003
    assert tiny.truth["fictitious"]["total"] == len(tiny.fictitious_bookings)


def test_fictitious_bookings_break_the_identity_rule_their_kind_names(tiny):
    niks = Counter(b["nik"] for b in tiny.bookings.values())
    for item in tiny.truth["fictitious"]["bookings"]:
        booking = tiny.bookings[item["booking"]]
        if item["kind"] == "INVALID_NIK":
            assert not nik_is_valid(booking["nik"])
        elif item["kind"] == "NIK_BIRTH_MISMATCH":
            assert nik_is_valid(booking["nik"]) and not nik_agrees(booking["nik"], booking["birth_date"])
        elif item["kind"] == "SHARED_NIK":
            assert niks[booking["nik"]] >= 4
        else:
            serial = int(booking["nik"][12:])
            neighbours = {booking["nik"][:12] + f"{serial + d:04d}" for d in (-1, 1)}
            assert neighbours & niks.keys(), booking["nik"]


def test_one_nik_is_used_across_many_accounts(tiny):
    shared = [i for i in tiny.truth["fictitious"]["bookings"] if i["kind"] == "SHARED_NIK"]
    by_nik = defaultdict(set)
    for item in shared:
        by_nik[tiny.bookings[item["booking"]]["nik"]].add(item["account"])

    assert by_nik and all(len(accounts) >= 4 for accounts in by_nik.values())


def test_fictitious_bookings_are_never_shown_up_for(tiny):
    statuses = Counter(tiny.bookings[i["booking"]]["status"] for i in tiny.truth["fictitious"]["bookings"])

    assert set(statuses) <= {"NO_SHOW", "CANCELLED"}
    assert statuses["NO_SHOW"] > statuses["CANCELLED"]


# ----------------------------------------------------------- normal patterns
def test_agency_groups_are_30_to_50_bookings_on_one_day_by_a_licensed_account(tiny):
    groups = tiny.truth["normal"]["agency_groups"]
    assert groups
    for group in groups:
        bookings = [tiny.bookings[ref] for ref in group["bookings"]]
        assert 30 <= len(bookings) <= 50
        assert {b["service_date"] for b in bookings} == {group["date"]}
        assert tiny.accounts[group["account"]]["agency_license"] == group["license"]
        assert len({b["nik"] for b in bookings}) == len(bookings)


def test_families_share_one_phone_with_at_most_five_bookings(tiny):
    families = tiny.truth["normal"]["families"]
    assert families
    for family in families:
        assert 2 <= len(family["bookings"]) <= 5
        assert {tiny.bookings[ref]["phone"] for ref in family["bookings"]} == {family["phone"]}


def test_a_parent_collects_a_childs_passport(tiny):
    collected = 0
    for family in tiny.truth["normal"]["families"]:
        members = {tiny.bookings[ref]["nik"] for ref in family["bookings"]}
        for ref in family["collected_by_parent"]:
            hand_over = tiny.step(ref, "HAND_OVER")
            if hand_over:
                assert hand_over["details"]["collected_by"] in members - {tiny.bookings[ref]["nik"]}
                collected += 1
    assert collected >= 1


def test_one_officer_serves_nearly_everyone_at_a_small_unit(tiny):
    units = tiny.truth["normal"]["small_units"]
    assert units
    for unit in units:
        refs = [b["ref"] for b in tiny.bookings.values() if b["office"] == unit["office"]]
        verified = [tiny.step(r, "VERIFY_DOCUMENTS") for r in refs if tiny.step(r, "VERIFY_DOCUMENTS")]
        by_officer = sum(e["actor"]["staff"] == unit["officer"] for e in verified)
        assert by_officer / len(verified) >= 0.8
        assert by_officer == unit["served_by_officer"]


def test_directive_days_bring_the_whole_office_in_late_and_at_weekends(tiny):
    overtime = tiny.truth["normal"]["overtime"]
    assert any(day["weekend"] for day in overtime)
    directive_dates = set(tiny.truth["normal"]["directive"]["dates"])
    for day in overtime:
        officers = sum(1 for s in tiny.staff.values() if s["office"] == day["office"] and s["role"] == "OFFICER")
        assert day["officers_on_duty"] == officers + 1  # every officer and the head
        assert day["closes_at"] > tiny.offices[day["office"]]["closes_at"]
        per_day = Counter(b["service_date"] for b in tiny.bookings.values() if b["office"] == day["office"])
        ordinary = [count for date, count in per_day.items() if date not in directive_dates]
        assert per_day[day["date"]] == day["bookings"] > max(ordinary)  # the raised quota is used


def test_priority_walk_ins_are_listed_and_have_no_account(tiny):
    walk_ins = tiny.truth["normal"]["priority_walk_ins"]
    assert walk_ins
    for item in walk_ins:
        booking = tiny.bookings[item["booking"]]
        assert booking["channel"] == "PRIORITY" and booking["account"] is None
        assert tiny.step(item["booking"], "WALK_IN_INSERT")
