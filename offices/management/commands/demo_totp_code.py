"""Print the current TOTP code of a demo login, so the demo needs no phone.

Only devices installed by ``seed_demo`` (named ``demo``, with the printed known secret) are
read; a real person's device is never shown.
"""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from offices.second_factor import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo login (supervisor, auditor)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = (TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, confirmed=True)
                  .first())
        if device is None:
            raise CommandError(f"{username} has no demo authenticator device (run seed_demo).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
