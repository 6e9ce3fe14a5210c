"""Load the sample office network (idempotent): 125 Kanim and 31 units, marked as sample data."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from offices.access import SystemActor
from offices.models import Office
from offices.sample_network import sample_offices, sample_regions
from offices.services import office_create, region_get_or_create


class Command(BaseCommand):
    help = "Load the sample network of offices and units. Running it again changes nothing."

    def handle(self, *args, **options):
        actor = SystemActor("seed_network")
        with transaction.atomic():
            regions = {code: region_get_or_create(code=code, name=name)
                       for code, name in sample_regions()}
            existing = {o.code: o for o in Office.objects.all()}
            created = 0
            for sample in sample_offices():
                if sample.code in existing:
                    continue
                office = office_create(
                    actor=actor, code=sample.code, name=sample.name, type=sample.type,
                    parent=existing.get(sample.parent_code) if sample.parent_code else None,
                    region=regions[sample.region_code], city=sample.city,
                    timezone=sample.timezone, daily_quota=sample.daily_quota,
                    opens_at=dt.time.fromisoformat(sample.opens_at),
                    closes_at=dt.time.fromisoformat(sample.closes_at), is_sample=True,
                )
                existing[office.code] = office
                created += 1
        total = Office.objects.count()
        self.stdout.write(self.style.SUCCESS(
            f"Sample network: {created} offices added, {total} in all."))
