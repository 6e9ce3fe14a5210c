from tests.builders import PASSWORD

URL = "/api/v1/accounts/register/"


def test_registration_answers_the_account_and_a_token(db, api):
    response = api.post(URL, {"email": "rina@example.invalid", "phone": "+62 812 0000 1111",
                              "password": PASSWORD}, HTTP_X_DEVICE_ID="fp-9")
    assert response.status_code == 201
    assert response.data["phone"] == "+6281200001111" and len(response.data["token"]) == 40


def test_registration_refuses_a_foreign_phone_by_field(db, api):
    response = api.post(URL, {"email": "rina@example.invalid", "phone": "+6591234567", "password": PASSWORD})
    assert response.status_code == 400 and "08" in response.data["phone"][0]


def test_registered_token_signs_in(db, api):
    token = api.post(URL, {"email": "rina@example.invalid", "phone": "081200001111",
                           "password": PASSWORD}).data["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/my/bookings/").status_code == 200


def test_unknown_token_is_refused(db, api):
    api.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert api.get("/api/v1/my/bookings/").status_code in (401, 403)
