"""Create one demo login per role (idempotent) and print them."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from offices.access import SystemActor
from offices.choices import Role
from offices.models import Office, StaffProfile
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
            if not user_model.objects.filter(username="admin").exists():
                user_model.objects.create_superuser("admin", "admin@example.invalid", password)
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for username, name, _nip, role, office_code in DEMO_STAFF:
            self.stdout.write(f"  {username:<11} {role:<12} {office_code:<24} {name}")
        self.stdout.write(f"  {'admin':<11} {'superuser':<12} {'(system administration)':<24}")
