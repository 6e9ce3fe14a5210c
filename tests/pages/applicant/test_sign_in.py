"""Applicants sign in with their e-mail address; staff logins are refused here; signing in and
out are in the trail; django-axes locks a name after repeated failures."""

from __future__ import annotations

from audit.models import Event
from tests.builders import PASSWORD
from tests.pages.applicant.conftest import form_alert

URL = "/apply/sign-in/"


def test_an_applicant_signs_in_and_lands_on_their_bookings(db, client, applicant_user):
    response = client.post(URL, {"username": " ANI@example.invalid ", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/apply/bookings/"
    account = applicant_user.applicant_account
    assert Event.objects.filter(action="ACCOUNT_LOGIN", actor_id=account.ref).count() == 1


def test_sign_in_returns_to_the_page_asked_for(db, client, applicant_user):
    response = client.get("/apply/book/")
    assert response.status_code == 302 and response["Location"] == "/apply/sign-in/?next=%2Fapply%2Fbook%2F"
    response = client.post(URL, {"username": applicant_user.username, "password": PASSWORD,
                                 "next": "/apply/book/"})
    assert response["Location"] == "/apply/book/"


def test_a_wrong_password_is_refused_and_recorded(db, client, applicant_user):
    response = client.post(URL, {"username": applicant_user.username, "password": "wrong-password"})
    assert response.status_code == 400
    assert form_alert(response.content.decode(), "sign-in-form") == "Wrong e-mail address or password."
    assert Event.objects.filter(action="ACCOUNT_LOGIN_FAILED",
                                actor_id=applicant_user.applicant_account.ref).count() == 1
    assert client.get("/apply/bookings/").status_code == 302  # not signed in


def test_a_staff_login_is_refused_on_the_applicants_sign_in(network, client):
    response = client.post(URL, {"username": network.officer_a.username, "password": PASSWORD})
    assert response.status_code == 400
    assert form_alert(response.content.decode(), "sign-in-form") == "This sign-in is for applicant accounts only."
    assert "_auth_user_id" not in client.session


def test_after_repeated_failures_the_name_is_locked(db, client, applicant_user, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(URL, {"username": applicant_user.username, "password": "wrong-password"})
    response = client.post(URL, {"username": applicant_user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signing_out_returns_to_the_applicants_start_and_is_recorded(db, applicant_client, applicant_user):
    page = applicant_client.get("/apply/bookings/").content.decode()
    assert '<input type="hidden" name="next" value="/apply/">' in page
    response = applicant_client.post("/logout/", {"next": "/apply/"})
    assert response.status_code == 302 and response["Location"] == "/apply/"
    assert Event.objects.filter(action="ACCOUNT_LOGOUT",
                                actor_id=applicant_user.applicant_account.ref).count() == 1
