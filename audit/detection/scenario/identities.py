"""People and their identifiers: names, NIKs, NIPs, phones, e-mails, addresses and devices.

Everything is drawn from a ``random.Random`` the caller owns, so a seed fixes every value. NIKs
follow the registry's layout (province, regency, district, birth date DDMMYY with 40 added to
the day for women, serial); the fake ones break it in the ways the 2017 flood did.
"""

from __future__ import annotations

import datetime as dt
import random

MALE = (
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Made",
    "Nyoman",
    "Putu",
    "Rizky",
    "Slamet",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Andi",
    "Bambang",
    "Dimas",
    "Gilang",
    "Hadi",
    "Iwan",
    "Rudi",
    "Sigit",
    "Teguh",
    "Yoga",
    "Arief",
    "Ketut",
)
FEMALE = (
    "Ayu",
    "Dewi",
    "Fitri",
    "Indah",
    "Kartika",
    "Lestari",
    "Maya",
    "Nur",
    "Putri",
    "Ratna",
    "Sari",
    "Siti",
    "Wulan",
    "Yuni",
    "Anisa",
    "Citra",
    "Dian",
    "Eka",
    "Intan",
    "Rina",
    "Novi",
    "Wati",
    "Nabila",
    "Fatimah",
    "Kadek",
    "Mega",
    "Ratih",
    "Tri",
    "Umi",
    "Zahra",
)
FAMILY = (
    "Saputra",
    "Wijaya",
    "Santoso",
    "Hidayat",
    "Pratama",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Sitompul",
    "Kusuma",
    "Gunawan",
    "Setiawan",
    "Purnomo",
    "Suharto",
    "Halim",
    "Tanjung",
    "Rahman",
    "Syahputra",
    "Manurung",
    "Pangaribuan",
    "Wibowo",
    "Susanto",
    "Mahendra",
    "Permana",
    "Hakim",
    "Lim",
    "Tan",
    "Rumbewas",
    "Wenda",
    "Pattimura",
    "Latuconsina",
    "Mandagi",
    "Sondakh",
    "Daeng",
    "Pane",
    "Sembiring",
    "Ginting",
)
MAIL_DOMAINS = ("gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com", "ymail.com")
# Mobile prefixes of Indonesian carriers (after +62).
MOBILE_PREFIXES = (
    "811",
    "812",
    "813",
    "821",
    "822",
    "852",
    "853",
    "814",
    "815",
    "816",
    "855",
    "856",
    "857",
    "858",
    "817",
    "818",
    "819",
    "859",
    "877",
    "878",
    "838",
    "831",
    "832",
    "833",
    "895",
    "896",
    "897",
    "898",
    "899",
)
# Consumer broadband and mobile ranges (first two octets) of Indonesian carriers.
HOME_NETWORKS = (
    (36, 68),
    (36, 72),
    (36, 80),
    (110, 136),
    (110, 137),
    (114, 124),
    (114, 125),
    (112, 215),
    (180, 241),
    (180, 242),
    (180, 244),
    (182, 253),
    (125, 160),
    (139, 192),
    (202, 67),
    (103, 47),
)
# Hosting ranges: where bots run from.
HOSTING_NETWORKS = ((45, 76), (45, 32), (103, 253), (128, 199), (139, 59), (159, 89), (188, 166))

#: Province codes a NIK may start with (records-v1).
PROVINCE_CODES = (
    "11",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "21",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "51",
    "52",
    "53",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "72",
    "73",
    "74",
    "75",
    "76",
    "81",
    "82",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",
)


class Rng(random.Random):
    """``random.Random`` with a cheaper ``randint`` and ``choice`` (one draw each, still seeded).

    The standard ones reject and redraw to be exactly uniform; a scenario can afford the tiny
    bias and needs the speed: they are called tens of millions of times for a large scenario.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def person_name(rng: random.Random, *, female: bool, family: str | None = None) -> str:
    given = rng.choice(FEMALE if female else MALE)
    return f"{given} {family or rng.choice(FAMILY)}"


def birth_date(rng: random.Random, *, on: dt.date, age: tuple[int, int]) -> dt.date:
    """A birth date that makes the person between ``age[0]`` and ``age[1]`` years old on ``on``."""
    days = rng.randint(age[0] * 365 + 1, age[1] * 365 + 300)
    return on - dt.timedelta(days=days)


def nik(
    rng: random.Random,
    *,
    province: str,
    born: dt.date,
    female: bool,
    area: str | None = None,
    serial: int | None = None,
) -> str:
    """A structurally valid NIK agreeing with ``born``; a shared ``area`` keeps a family together."""
    area = area or nik_area(rng)
    day = born.day + (40 if female else 0)
    return (
        f"{province}{area}{day:02d}{born.month:02d}{born.year % 100:02d}"
        f"{serial if serial is not None else rng.randint(1, 9999):04d}"
    )


def nik_area(rng: random.Random) -> str:
    """Regency and district digits (3–6): never ``00``."""
    return f"{rng.randint(1, 79):02d}{rng.randint(1, 40):02d}"


def nik_invalid(rng: random.Random, *, province: str, born: dt.date) -> str:
    """A NIK that breaks the layout: unknown province, a ``00`` area, an impossible date or serial 0000."""
    way = rng.randrange(5)
    area = nik_area(rng)
    date_part = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}"
    serial = f"{rng.randint(1, 9999):04d}"
    if way == 0:
        return f"{rng.choice(('00', '10', '20', '41', '99'))}{area}{date_part}{serial}"
    if way == 1:
        return f"{province}00{area[2:]}{date_part}{serial}"
    if way == 2:
        return (
            f"{province}{area}{rng.choice((0, 32, 72, 99)):02d}{born.month:02d}{born.year % 100:02d}{serial}"
        )
    if way == 3:
        return f"{province}{area}{date_part}0000"
    return f"{province}{area}{date_part}{serial}"[: rng.choice((14, 15))]  # too short


def nip(rng: random.Random, *, born: dt.date, appointed: dt.date, female: bool, serial: int) -> str:
    """A civil-servant number: birth YYYYMMDD, appointment YYYYMM, sex 1/2, serial 001–999."""
    return f"{born:%Y%m%d}{appointed:%Y%m}{2 if female else 1}{(serial - 1) % 999 + 1:03d}"


def phone(rng: random.Random) -> str:
    """A mobile number normalised to ``+62…``."""
    return f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


def email(rng: random.Random, name: str) -> str:
    handle = name.lower().replace(" ", rng.choice((".", "_", "")))
    return f"{handle}{rng.randint(1, 999)}@{rng.choice(MAIL_DOMAINS)}"


def home_ip(rng: random.Random) -> str:
    first, second = rng.choice(HOME_NETWORKS)
    return f"{first}.{second}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def hosting_ip(rng: random.Random) -> str:
    first, second = rng.choice(HOSTING_NETWORKS)
    return f"{first}.{second}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def device(rng: random.Random) -> str:
    """An opaque device fingerprint."""
    return f"{rng.getrandbits(64):016x}"
