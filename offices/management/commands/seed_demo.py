"""Create one demo login per role (idempotent) and print them."""

import base64
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from offices.access import SECOND_FACTOR_ROLES, SystemActor
from offices.choices import Role
from offices.models import Office, StaffProfile
from offices.second_factor import totp_device_install
from offices.services import assignment_create, staff_create

# (username, name, NIP, role, office code)
DEMO_STAFF = [
    ("supervisor", "Rina Supervisi", "198203152006042001", Role.SUPERVISOR, "KANIM-JAKARTA-PUSAT"),
    ("auditor", "Budi Inspektorat", "198511202010121002", Role.AUDITOR, "KANIM-JAKARTA-PUSAT"),
    ("head", "Sari Kepala Kantor", "197907082003122001", Role.OFFICE_HEAD, "KANIM-JAKARTA-SELATAN"),
    ("officer", "Agus Petugas", "199002142015031001", Role.OFFICER, "KANIM-JAKARTA-SELATAN"),
    ("officer2", "Dewi Petugas", "199305302018012002", Role.OFFICER, "KANIM-JAKARTA-SELATAN"),
]
DEMO_PASSWORD = "paspor-demo-2026"  # noqa: S105  (printed demo logins, local only)
# Supervisors and auditors must pass TOTP: their demo devices share this known secret
# (base32 below), printed so that any authenticator app, or `manage demo_totp_code`, gives codes.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex of RFC 6238's test secret


class Command(BaseCommand):
    help = "Create demo logins for each role on the sample network and print them."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD,
                            help="Password for every demo login (default: %(default)s).")

    def handle(self, *args, password, **options):
        actor = SystemActor("seed_demo")
        offices = {o.code: o for o in Office.objects.filter(code__in={s[4] for s in DEMO_STAFF})}
        missing = {s[4] for s in DEMO_STAFF} - set(offices)
        if missing:
            raise CommandError(f"Run seed_network first: offices {sorted(missing)} are missing.")
        user_model = get_user_model()
        start = dt.date(2024, 1, 1)
        with transaction.atomic():
            for username, name, nip, role, office_code in DEMO_STAFF:
                profile = StaffProfile.objects.filter(nip=nip).first()
                if profile is None:
                    profile = staff_create(actor=actor, nip=nip, name=name, username=username,
                                           password=password)
                    assignment_create(actor=actor, staff=profile, office=offices[office_code],
                                      role=role, valid_from=start)
            admin = user_model.objects.filter(username="admin").first()
            if admin is None:
                admin = user_model.objects.create_superuser("admin", "admin@example.invalid", password)
            devices = {"admin": totp_device_install(actor=actor, user=admin, key_hex=DEMO_TOTP_KEY)}
            for username, _name, nip, role, _office in DEMO_STAFF:
                if role in SECOND_FACTOR_ROLES:
                    user = StaffProfile.objects.get(nip=nip).user
                    devices[username] = totp_device_install(actor=actor, user=user, key_hex=DEMO_TOTP_KEY)
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for username, name, _nip, role, office_code in DEMO_STAFF:
            self.stdout.write(f"  {username:<11} {role:<12} {office_code:<24} {name}")
        self.stdout.write(f"  {'admin':<11} {'superuser':<12} {'(system administration)':<24}")
        if devices:
            device = next(iter(devices.values()))
            secret = base64.b32encode(device.bin_key).decode()
            self.stdout.write(
                f"\n{', '.join(devices)} also need a code from an authenticator app (TOTP).\n"
                f"  Add this secret to any app (FreeOTP, Aegis, Google Authenticator): {secret}\n"
                f"  or scan/open: {device.config_url}\n"
                f"  or print the current code: python3 run.py manage demo_totp_code supervisor"
            )
