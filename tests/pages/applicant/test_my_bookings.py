"""My bookings: the account's own bookings with their codes and QR codes, one booking's page, and
cancelling it before the cut-off (BOOKING_CANCEL; the place goes back on sale)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import Event
from bookings.models import Slot
from bookings.models.booking import qr_payload_read
from tests.bookings import builders

LIST = "/apply/bookings/"


def _codes(html: str) -> list[str]:
    return re.findall(r'<tr data-code="(\w+)">', html)


def test_the_list_shows_own_bookings_with_code_and_qr_code(network, applicant_client, applicant_user,
                                                           other_applicant_user, day,
                                                           django_assert_max_num_queries):
    mine = [builders.booking(applicant_user, network.kanim_a, day, dt.time(8, 0) if i == 0 else dt.time(9, 0))
            for i in range(2)]
    theirs = builders.booking(other_applicant_user, network.kanim_a, day)
    # Session, user, staff profile (none), account, bookings with their offices, session saved.
    with django_assert_max_num_queries(8):
        response = applicant_client.get(LIST)
    html = response.content.decode()
    assert sorted(_codes(html)) == sorted(b.code for b in mine) and theirs.code not in html
    for booking in mine:
        assert f'<figure class="qr" id="qr-{booking.code}"><svg' in html
        assert booking.nik not in html and booking.nik_masked in html
    assert "This account holds 2 of at most 5 bookings in progress." in html


def test_the_list_s_queries_do_not_grow_with_its_bookings(network, applicant_client, applicant_user, day):
    counts = []
    for serial in (1, 2, 3):
        builders.booking(applicant_user, network.kanim_a, day, serial=serial)
        with CaptureQueriesContext(connection) as queries:
            applicant_client.get(LIST)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_one_booking_shows_its_qr_code_and_cancel_deadline_in_office_time(network, applicant_client,
                                                                         applicant_user):
    day = network.kanim_b.local_date() + dt.timedelta(days=3)
    booking = builders.booking(applicant_user, network.kanim_b, day, dt.time(9, 0))
    html = applicant_client.get(f"{LIST}{booking.code}/").content.decode()
    assert f'<code id="booking-code">{booking.code}</code>' in html
    assert "09:00 WITA" in html and 'id="cancel-form"' in html
    deadline = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(9, 0))
    assert f"You may cancel until {deadline:%-d %B %Y}, 09:00 WITA" in html
    # The QR code carries the signed payload the counter reads at check-in (named, never a NIK).
    assert qr_payload_read(booking.qr_payload)["code"] == booking.code


def test_another_account_s_booking_answers_404_like_a_missing_one(network, applicant_client,
                                                                 other_applicant_user, day):
    theirs = builders.booking(other_applicant_user, network.kanim_a, day)
    assert applicant_client.get(f"{LIST}{theirs.code}/").status_code == 404
    assert applicant_client.get(f"{LIST}NOSUCHCODE/").status_code == 404
    assert applicant_client.post(f"{LIST}{theirs.code}/cancel/").status_code == 404
    assert not Event.objects.filter(action="BOOKING_CANCEL").exists()


def test_cancelling_before_the_cut_off_gives_the_place_back_and_is_recorded(network, applicant_client,
                                                                           applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    response = applicant_client.post(f"{LIST}{booking.code}/cancel/", REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 302 and response["Location"] == LIST
    booking.refresh_from_db()
    assert booking.status == "CANCELLED"
    assert Slot.objects.get(pk=booking.slot_id).booked == 0
    event = Event.objects.get(action="BOOKING_CANCEL")
    assert (event.actor_id, event.target_id, event.ip) == (applicant_user.applicant_account.ref, booking.ref,
                                                           "10.7.7.7")
    html = applicant_client.get(LIST).content.decode()
    assert f"Booking {booking.code} is cancelled." in html
    assert f'id="qr-{booking.code}"' not in html  # nothing to check in any more


def test_after_the_cut_off_the_cancel_is_refused_with_the_deadline(network, applicant_client, applicant_user,
                                                                  day, settings):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    settings.BOOKING_CANCEL_CUTOFF_HOURS = 24 * 7  # the deadline is now behind us
    html = applicant_client.get(f"{LIST}{booking.code}/").content.decode()
    assert 'id="cancel-form"' not in html and 'id="cancel-closed"' in html
    response = applicant_client.post(f"{LIST}{booking.code}/cancel/")
    assert response.status_code == 409
    assert re.search(r'id="booking-error">Changes are possible until .* \(office time\); call the office instead.',
                     response.content.decode())
    booking.refresh_from_db()
    assert booking.status == "BOOKED" and not Event.objects.filter(action="BOOKING_CANCEL").exists()


def test_a_booking_cancelled_twice_is_refused_the_second_time(network, applicant_client, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    applicant_client.post(f"{LIST}{booking.code}/cancel/")
    response = applicant_client.post(f"{LIST}{booking.code}/cancel/")
    assert response.status_code == 409
    assert "Only a booking not yet served can be changed." in response.content.decode()
    assert Event.objects.filter(action="BOOKING_CANCEL").count() == 1


def test_the_qr_code_draws_exactly_the_encoder_s_modules():
    import qrcode

    from bookings.pages.applicant import QR_BORDER, QR_MASK, qr_svg

    payload = "a signed payload of about the usual length " * 4
    code = qrcode.QRCode(border=QR_BORDER, mask_pattern=QR_MASK)
    code.add_data(payload)
    code.make(fit=True)
    expected = code.get_matrix()
    svg = qr_svg(payload)
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    drawn = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", svg):
        for column in range(int(x), int(x) + int(width)):
            drawn[int(y)][column] = True
    assert drawn == expected
    assert "style=" not in svg and "<script" not in svg
