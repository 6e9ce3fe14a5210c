"""The portal's request paths in a process whose Celery broker is down (run by test_broker_down).

A program of its own, so the settings, the Celery app and every connection it would open are
those of a portal started with that broker, and nothing in the test process can stand in for it.
Argument: JSON with the usernames and the office and day to use. Prints each answer as JSON.
"""

from __future__ import annotations

import json
import sys

import django


def main(plan: dict) -> dict:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from tests.bookings.builders import nik_for

    users = get_user_model().objects

    def client(username: str) -> APIClient:
        api = APIClient()
        api.force_authenticate(user=users.get(username=username))
        return api

    answers = {}
    booked = client(plan["applicant"]).post("/api/v1/my/bookings/", {
        "office": plan["office"], "date": plan["day"], "slot": "08:00", "service": "NEW", "nik": nik_for(77),
        "name": "Pemohon Tanpa Antrean", "birth_date": "1990-05-17", "phone": "081234567890",
    }, format="json", HTTP_X_DEVICE_ID="dev-outage")
    answers["book"] = [booked.status_code, booked.data.get("code")]
    officer = client(plan["officer"])
    walk_in = officer.post("/api/v1/walk-ins/", {
        "office": plan["office"], "service": "NEW", "slot": "08:00", "nik": nik_for(78),
        "name": "Pemohon Datang Langsung", "birth_date": "1990-05-17", "phone": "081234567891",
    }, format="json")
    answers["walk_in"] = [walk_in.status_code, walk_in.data.get("code")]
    for step in ("check_in", "verify_documents"):
        done = officer.post(f"/api/v1/bookings/{walk_in.data.get('code')}/steps/", {"step": step}, format="json")
        answers[step] = [done.status_code, done.data.get("status")]
    run = client(plan["auditor"]).post("/api/v1/detection/runs/", {"kind": "INCREMENTAL"}, format="json")
    answers["detection_run"] = [run.status_code, run.data.get("code")]
    return answers


if __name__ == "__main__":
    django.setup()
    print(json.dumps(main(json.loads(sys.argv[1]))))
