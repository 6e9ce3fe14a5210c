"""Language: Bahasa Indonesia by default, English by the switch; Indonesian numbers and dates."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from offices.services import office_update
from tests import builders

LOCALE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES"


@pytest.fixture
def indonesian_default():
    """The production default (the test settings speak English so messages match the source)."""
    with override_settings(LANGUAGE_CODE="id"):
        yield


def test_pages_are_in_indonesian_by_default(network, as_user, indonesian_default):
    html = as_user(network.head_a).get("/").content.decode()
    assert '<html lang="id">' in html and ">Beranda</a>" in html and ">Keluar</button>" in html


def test_the_browser_language_does_not_override_the_default(network, as_user, indonesian_default):
    html = as_user(network.head_a).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html


def test_the_switch_turns_the_pages_english(network, as_user, indonesian_default):
    client = as_user(network.head_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/network/"})
    assert response.status_code == 302 and response["Location"] == "/network/"
    html = client.get("/network/").content.decode()
    assert '<html lang="en">' in html and ">Home</a>" in html and "Offices and units" in html


def test_the_switch_back_to_indonesian(network, as_user, indonesian_default):
    client = as_user(network.head_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert ">Beranda</a>" in client.get("/").content.decode()


def test_numbers_use_indonesian_grouping(network, as_user, indonesian_default):
    office_update(actor=builders.SYSTEM, office=network.kanim_a, daily_quota=1500)
    html = as_user(network.head_a).get("/network/KANIM-A/").content.decode()
    assert "1.500 pemohon" in html


def test_numbers_use_english_grouping_after_the_switch(network, as_user, indonesian_default):
    office_update(actor=builders.SYSTEM, office=network.kanim_a, daily_quota=1500)
    client = as_user(network.head_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "1,500 applicants" in client.get("/network/KANIM-A/").content.decode()


def test_times_use_the_indonesian_clock_format(network, as_user, indonesian_default):
    html = as_user(network.head_a).get("/network/KANIM-A/").content.decode()
    assert "08.00–16.00 WIB" in html


def test_every_message_of_the_catalogue_is_translated():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[0\])? ""\n?$', e.strip() + "\n", re.M)
                    and not re.search(r'^msgstr(\[0\])? ""\n"', e + "\n", re.M)]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    msgids = re.findall(r'^msgid "(.+)"$', po, re.M)
    assert msgids
    missing = [m for m in msgids if catalogue.gettext(m.replace('\\"', '"')) == m.replace('\\"', '"')
               and m not in {"Kanim", "Status", "Filter", "NIK", "Slot"}]  # the same word in Indonesian
    assert missing == []
