"""The sample network: 125 Kanim and 31 units across Indonesia's provinces.

Names follow the directorate's pattern (Kantor Imigrasi Kelas <class> <city>), cities and
provinces are real, quotas are plausible for each class. It is marked as sample data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"

# (province code, province, zone, [(city, class)]) — class "IK" = I Khusus, "I", "II".
PROVINCES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("11", "Aceh", WIB, [("Banda Aceh", "I"), ("Lhokseumawe", "II"), ("Langsa", "II"),
                         ("Meulaboh", "II"), ("Sabang", "II"), ("Takengon", "II")]),
    ("12", "Sumatera Utara", WIB, [("Medan", "IK"), ("Belawan", "I"), ("Polonia", "I"),
                                   ("Sibolga", "II"), ("Pematang Siantar", "II"),
                                   ("Tanjung Balai Asahan", "II")]),
    ("13", "Sumatera Barat", WIB, [("Padang", "I"), ("Agam", "II")]),
    ("14", "Riau", WIB, [("Pekanbaru", "I"), ("Dumai", "II"), ("Bengkalis", "II"),
                         ("Selat Panjang", "II"), ("Bagan Siapiapi", "II"), ("Tembilahan", "II"),
                         ("Siak", "II")]),
    ("15", "Jambi", WIB, [("Jambi", "I"), ("Kuala Tungkal", "II")]),
    ("16", "Sumatera Selatan", WIB, [("Palembang", "I"), ("Muara Enim", "II")]),
    ("17", "Bengkulu", WIB, [("Bengkulu", "II")]),
    ("18", "Lampung", WIB, [("Bandar Lampung", "I"), ("Kotabumi", "II")]),
    ("19", "Kepulauan Bangka Belitung", WIB, [("Pangkal Pinang", "II"), ("Tanjung Pandan", "II")]),
    ("21", "Kepulauan Riau", WIB, [("Batam", "IK"), ("Tanjung Pinang", "I"), ("Tanjung Uban", "II"),
                                   ("Tanjung Balai Karimun", "II"), ("Tarempa", "II"),
                                   ("Dabo Singkep", "II"), ("Ranai", "II"),
                                   ("Belakang Padang", "II")]),
    ("31", "DKI Jakarta", WIB, [("Jakarta Pusat", "IK"), ("Jakarta Utara", "I"),
                                ("Jakarta Barat", "I"), ("Jakarta Selatan", "IK"),
                                ("Jakarta Timur", "I")]),
    ("32", "Jawa Barat", WIB, [("Bandung", "I"), ("Bogor", "I"), ("Bekasi", "I"), ("Depok", "II"),
                               ("Cirebon", "II"), ("Sukabumi", "II"), ("Tasikmalaya", "II"),
                               ("Karawang", "II"), ("Cianjur", "II")]),
    ("33", "Jawa Tengah", WIB, [("Semarang", "I"), ("Surakarta", "I"), ("Pati", "II"),
                                ("Cilacap", "II"), ("Pemalang", "II"), ("Wonosobo", "II")]),
    ("34", "DI Yogyakarta", WIB, [("Yogyakarta", "I")]),
    ("35", "Jawa Timur", WIB, [("Surabaya", "IK"), ("Tanjung Perak", "I"), ("Malang", "I"),
                               ("Kediri", "II"), ("Blitar", "II"), ("Jember", "II"),
                               ("Madiun", "II"), ("Pamekasan", "II"), ("Ponorogo", "II"),
                               ("Tulungagung", "II")]),
    ("36", "Banten", WIB, [("Soekarno-Hatta", "IK"), ("Tangerang", "I"), ("Serang", "I"),
                           ("Cilegon", "II")]),
    ("51", "Bali", WITA, [("Denpasar", "I"), ("Ngurah Rai", "IK"), ("Singaraja", "II")]),
    ("52", "Nusa Tenggara Barat", WITA, [("Mataram", "I"), ("Sumbawa Besar", "II"), ("Bima", "II")]),
    ("53", "Nusa Tenggara Timur", WITA, [("Kupang", "I"), ("Atambua", "II"), ("Maumere", "II"),
                                         ("Labuan Bajo", "II"), ("Waingapu", "II")]),
    ("61", "Kalimantan Barat", WIB, [("Pontianak", "I"), ("Singkawang", "II"), ("Entikong", "II"),
                                     ("Sanggau", "II"), ("Putussibau", "II"), ("Ketapang", "II")]),
    ("62", "Kalimantan Tengah", WIB, [("Palangka Raya", "II"), ("Sampit", "II")]),
    ("63", "Kalimantan Selatan", WITA, [("Banjarmasin", "I"), ("Kotabaru", "II"),
                                        ("Batulicin", "II")]),
    ("64", "Kalimantan Timur", WITA, [("Samarinda", "I"), ("Balikpapan", "I"),
                                      ("Tanjung Redeb", "II")]),
    ("65", "Kalimantan Utara", WITA, [("Tarakan", "II"), ("Nunukan", "II")]),
    ("71", "Sulawesi Utara", WITA, [("Manado", "I"), ("Bitung", "II"), ("Tahuna", "II")]),
    ("72", "Sulawesi Tengah", WITA, [("Palu", "I"), ("Banggai", "II")]),
    ("73", "Sulawesi Selatan", WITA, [("Makassar", "I"), ("Parepare", "II"), ("Palopo", "II")]),
    ("74", "Sulawesi Tenggara", WITA, [("Kendari", "I"), ("Bau-Bau", "II")]),
    ("75", "Gorontalo", WITA, [("Gorontalo", "II")]),
    ("76", "Sulawesi Barat", WITA, [("Mamuju", "II"), ("Polewali Mandar", "II")]),
    ("81", "Maluku", WIT, [("Ambon", "I"), ("Tual", "II"), ("Saumlaki", "II")]),
    ("82", "Maluku Utara", WIT, [("Ternate", "II"), ("Tobelo", "II")]),
    ("91", "Papua", WIT, [("Jayapura", "I"), ("Biak", "II")]),
    ("92", "Papua Barat", WIT, [("Manokwari", "II"), ("Fakfak", "II")]),
    ("93", "Papua Selatan", WIT, [("Merauke", "II")]),
    ("94", "Papua Tengah", WIT, [("Mimika", "II")]),
    ("96", "Papua Barat Daya", WIT, [("Sorong", "II")]),
]

# (type, name, parent city, city) for the units.
UNITS: list[tuple[str, str, str, str]] = [
    ("ULP", "ULP Kota Kasablanka", "Jakarta Selatan", "Jakarta Selatan"),
    ("ULP", "ULP Grand Indonesia", "Jakarta Pusat", "Jakarta Pusat"),
    ("ULP", "ULP Mal Ambasador", "Jakarta Selatan", "Jakarta Selatan"),
    ("ULP", "ULP Tangerang City Mall", "Tangerang", "Tangerang"),
    ("ULP", "ULP Summarecon Mal Bekasi", "Bekasi", "Bekasi"),
    ("ULP", "ULP Trans Studio Mall Bandung", "Bandung", "Bandung"),
    ("ULP", "ULP Royal Plaza Surabaya", "Surabaya", "Surabaya"),
    ("ULP", "ULP Sun Plaza Medan", "Medan", "Medan"),
    ("ULP", "ULP Paragon Semarang", "Semarang", "Semarang"),
    ("ULP", "ULP Mal Panakkukang", "Makassar", "Makassar"),
    ("LTSP", "LTSP Nunukan", "Nunukan", "Nunukan"),
    ("LTSP", "LTSP Entikong", "Entikong", "Entikong"),
    ("LTSP", "LTSP Tanjung Pinang", "Tanjung Pinang", "Tanjung Pinang"),
    ("LTSP", "LTSP Batam", "Batam", "Batam"),
    ("LTSP", "LTSP Indramayu", "Cirebon", "Indramayu"),
    ("LTSP", "LTSP Cirebon", "Cirebon", "Cirebon"),
    ("LTSP", "LTSP Lombok Timur", "Mataram", "Selong"),
    ("LTSP", "LTSP Sumbawa", "Sumbawa Besar", "Sumbawa Besar"),
    ("LTSP", "LTSP Kupang", "Kupang", "Kupang"),
    ("LTSP", "LTSP Blitar", "Blitar", "Blitar"),
    ("LTSP", "LTSP Malang", "Malang", "Malang"),
    ("LTSP", "LTSP Tulungagung", "Tulungagung", "Tulungagung"),
    ("LTSP", "LTSP Banyuwangi", "Jember", "Banyuwangi"),
    ("LTSP", "LTSP Cilacap", "Cilacap", "Cilacap"),
    ("LTSP", "LTSP Subang", "Karawang", "Subang"),
    ("LTSP", "LTSP Lampung Timur", "Bandar Lampung", "Sukadana"),
    ("UKK", "UKK Pangkalan Bun", "Sampit", "Pangkalan Bun"),
    ("UKK", "UKK Muara Teweh", "Palangka Raya", "Muara Teweh"),
    ("UKK", "UKK Nabire", "Mimika", "Nabire"),
    ("MPP", "MPP DKI Jakarta", "Jakarta Selatan", "Jakarta Selatan"),
    ("MPP", "MPP Surabaya", "Surabaya", "Surabaya"),
]

CLASS_NAMES = {"IK": "Kelas I Khusus TPI", "I": "Kelas I TPI", "II": "Kelas II"}
CLASS_QUOTA = {"IK": 400, "I": 200, "II": 80}
UNIT_QUOTA = {"ULP": 120, "LTSP": 60, "UKK": 40, "MPP": 100}


@dataclass(frozen=True)
class SampleOffice:
    code: str
    name: str
    type: str
    parent_code: str | None
    region_code: str
    city: str
    timezone: str
    daily_quota: int
    opens_at: str
    closes_at: str


def office_code(prefix: str, city: str) -> str:
    slug = re.sub(r"[^A-Z0-9]+", "-", city.upper()).strip("-")
    return f"{prefix}-{slug}"[:32]


def sample_offices() -> list[SampleOffice]:
    """Every office of the sample network, Kanim first (units refer to them)."""
    kanim_by_city: dict[str, SampleOffice] = {}
    zone_by_region: dict[str, str] = {}
    for region_code, _name, zone, cities in PROVINCES:
        zone_by_region[region_code] = zone
        for city, klass in cities:
            kanim_by_city[city] = SampleOffice(
                code=office_code("KANIM", city), name=f"Kantor Imigrasi {CLASS_NAMES[klass]} {city}",
                type="KANIM", parent_code=None, region_code=region_code, city=city,
                timezone=zone, daily_quota=CLASS_QUOTA[klass],
                opens_at="07:30" if klass == "IK" else "08:00", closes_at="16:00",
            )
    units = []
    for unit_type, name, parent_city, city in UNITS:
        parent = kanim_by_city[parent_city]
        units.append(SampleOffice(
            code=office_code(unit_type, name.removeprefix(f"{unit_type} ")), name=name,
            type=unit_type, parent_code=parent.code, region_code=parent.region_code, city=city,
            timezone=parent.timezone, daily_quota=UNIT_QUOTA[unit_type],
            opens_at="10:00" if unit_type in {"ULP", "MPP"} else "08:00",
            closes_at="20:00" if unit_type in {"ULP", "MPP"} else "15:00",
        ))
    return [*kanim_by_city.values(), *units]


def sample_regions() -> list[tuple[str, str]]:
    return [(code, name) for code, name, _zone, _cities in PROVINCES]
