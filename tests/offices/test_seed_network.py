from collections import Counter

from django.core.management import call_command

from audit.models import Event
from offices.models import Office


def test_seed_network_matches_directorate_count_and_is_idempotent(db):
    call_command("seed_network")
    call_command("seed_network")
    counts = Counter(Office.objects.values_list("type", flat=True))
    assert counts == {"KANIM": 125, "LTSP": 16, "ULP": 10, "UKK": 3, "MPP": 2}
    assert not Office.objects.filter(is_sample=False).exists()
    assert not Office.objects.exclude(type="KANIM").filter(parent__isnull=True).exists()
    assert Event.objects.filter(action="OFFICE_CREATE").count() == 156
    zones = set(Office.objects.values_list("timezone", flat=True))
    assert zones == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}


def test_seed_demo_creates_one_login_per_role(db):
    from django.contrib.auth import get_user_model

    from offices.access import roles_of

    call_command("seed_network")
    call_command("seed_demo")
    call_command("seed_demo")
    users = {u.username: u for u in get_user_model().objects.all()}
    assert roles_of(users["supervisor"]) == {"SUPERVISOR"}
    assert roles_of(users["auditor"]) == {"AUDITOR"}
    assert roles_of(users["head"]) == {"OFFICE_HEAD"}
    assert roles_of(users["officer"]) == {"OFFICER"}
    assert users["admin"].is_superuser
