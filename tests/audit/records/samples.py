"""Records-v1 samples for the import and export tests: one valid record of each kind, with overrides."""

from __future__ import annotations

from pathlib import Path

import orjson

NIP_A = "198501012010011001"
NIP_B = "199002152015032002"


def office(code: str = "KANIM-JKS", **values) -> dict:
    return {"kind": "office", "code": code, "name": f"Kantor Imigrasi {code}", "type": "KANIM",
            "parent": None, "region": "DKI Jakarta", "timezone": "Asia/Jakarta", "daily_quota": 300,
            **values}


def unit(code: str = "ULP-KOKAS", parent: str = "KANIM-JKS", **values) -> dict:
    return office(code, type="ULP", parent=parent, daily_quota=120, **values)


def staff(nip: str = NIP_A, office: str = "KANIM-JKS", **values) -> dict:
    return {"kind": "staff", "nip": nip, "name": f"Petugas {nip[-3:]}", "office": office, "role": "OFFICER",
            "active_from": "2015-01-01", "active_until": None, **values}


def account(ref: str = "acc-001", **values) -> dict:
    return {"kind": "account", "ref": ref, "email": f"{ref}@example.invalid", "phone": "081234567890",
            "created_at": "2017-09-01T10:00:00+07:00", "ip": "203.0.113.7", "device": "dev-7f3a",
            "agency_license": None, **values}


def booking(ref: str = "bk-001", account: str | None = "acc-001", office: str = "KANIM-JKS", **values) -> dict:
    return {"kind": "booking", "ref": ref, "account": account, "office": office,
            "service_date": "2017-11-03", "slot": "08:00", "service": "NEW",
            "channel": "ONLINE" if account else "WALK_IN", "nik": "3171014101900001",
            "name": "Siti Aminah", "birth_date": "1990-01-01", "phone": "081234567890", "email": None,
            "created_at": "2017-10-01T10:05:00+07:00", "ip": "203.0.113.7", "device": "dev-7f3a",
            "status": "BOOKED", **values}


def event(action: str = "STAFF_LOGIN", *, at: str = "2017-11-03T07:55:00+07:00", actor: dict | None = None,
          office: str | None = "KANIM-JKS", booking: str | None = None, **values) -> dict:
    return {"kind": "event", "at": at, "actor": actor or {"staff": NIP_A}, "office": office,
            "action": action, "booking": booking, "ip": "10.0.0.5", "details": {}, **values}


def write(path: Path, *records, lines: tuple[str, ...] = ()) -> str:
    """Write records (dicts) and then raw ``lines`` to ``path``; return it as a string."""
    with path.open("wb") as out:
        for record in records:
            out.write(orjson.dumps(record) + b"\n")
        for line in lines:
            out.write(line.encode() + b"\n")
    return str(path)
