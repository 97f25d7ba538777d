"""Reproducible, realistic demo residents of Kabupaten Sragen, in families, as CSV rows.

The same ``seed`` always yields the same people (ages are anchored to `ANCHOR`, not today), so
demos, screenshots and benchmarks are comparable run to run. Rows use the import layout and go
through the importer, so demo data passes exactly the checks real data does. Names mix the
spellings found in Central Java, old (SOEKARNO, DJOKO) and new.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from .csv_layout import HEADER
from .names import word_key
from .nik import date_part

SRAGEN = "33.14"
ANCHOR = dt.date(2025, 12, 31)

MEN = ["AGUS", "BAMBANG", "BUDI", "DWI", "EKO", "HADI", "HERU", "JOKO", "DJOKO", "KUSNO", "SLAMET", "SOEKARNO", "SUKARNO", "SUTRISNO", "SUPARMAN", "SUGENG", "SUYATNO", "TRI", "WAHYU", "WIDODO", "YANTO", "ARIF", "TEGUH", "RUDI", "HERI", "PURNOMO", "SOEPARDI", "SUPARDI", "DARMO", "SOEDARMO", "SUDARMO", "PARDI", "GUNAWAN", "SETYO", "SETIYO", "HARYANTO", "HARIYANTO", "MULYONO", "MOELYONO", "SISWANTO", "TJIPTO", "CIPTO", "SOEBROTO", "SUBROTO", "NUGROHO", "PRASETYO", "ADI", "RAHMAT", "SYAMSUL", "SJAMSUL", "IMAM", "KHOIRUL", "CHOIRUL", "ANDI", "FAJAR", "RIZKY", "DIMAS", "ILHAM", "YOGI"]
WOMEN = ["SRI", "SITI", "SUTARMI", "SUMARNI", "SUPARMI", "SUGIYEM", "PARIYEM", "WARSINI", "WAGIYEM", "TUMINAH", "SUKINEM", "SRIYANI", "ENDANG", "TITIK", "YULI", "DWI", "TRI", "RAHAYU", "LESTARI", "WAHYUNI", "HANDAYANI", "PURWANTI", "SETYOWATI", "SETIYOWATI", "KUSUMAWATI", "RATNA", "DEWI", "NUR", "NOER", "ANIK", "ANI", "SUSI", "SUSILOWATI", "SOESILOWATI", "MARYATI", "MARJATI", "WULANDARI", "PUJI", "POEDJI", "RINI", "ROHMAH", "KHOTIJAH", "CHOTIDJAH", "NINGSIH", "ASIH", "ASTUTI", "UTAMI", "YUNITA", "NOVI", "FITRI", "INDAH", "AYU", "PUTRI", "NJOMAN"]
PLACES = ("SRAGEN",) * 12 + ("SURAKARTA", "KARANGANYAR", "NGAWI", "BOYOLALI", "GROBOGAN",
                             "SUKOHARJO", "WONOGIRI", "KLATEN", "JAKARTA")
GOLONGAN = ("A", "B", "AB", "O", "A+", "B+", "O+", "AB+", "TIDAK TAHU", "TIDAK TAHU")
AGAMA = ("ISLAM",) * 30 + ("KRISTEN", "KATOLIK", "BUDDHA", "HINDU")
STREETS = ("DUKUH", "DK.", "JL.", "KAMPUNG")
JOBS_MEN = ("PETANI/PEKEBUN", "WIRASWASTA", "KARYAWAN SWASTA", "BURUH HARIAN LEPAS",
            "PEDAGANG", "GURU", "PEGAWAI NEGERI SIPIL (PNS)", "SOPIR", "BURUH TANI/PERKEBUNAN",
            "TUKANG KAYU", "PERANGKAT DESA")
JOBS_WOMEN = ("MENGURUS RUMAH TANGGA",) * 4 + ("PETANI/PEKEBUN", "PEDAGANG", "GURU",
                                             "KARYAWAN SWASTA", "WIRASWASTA", "PERAWAT")


class DemoPopulation:
    """Generates families; ``taken_nik``/``taken_kk`` give the highest serial per prefix already
    in the database, so generated numbers never collide with registered ones."""

    def __init__(self, regions: dict[str, list[str]], seed: int = 1,
                 taken_nik: dict[str, int] | None = None,
                 taken_kk: dict[str, int] | None = None) -> None:
        self.rng = random.Random(seed)
        self.regions = regions  # kecamatan code -> its desa codes
        self.kecamatan = sorted(regions)
        self.serials: dict[str, int] = dict(taken_nik or {})
        self.kk_serials: dict[str, int] = dict(taken_kk or {})

    def _serial(self, table: dict[str, int], prefix: str) -> str:
        table[prefix] = table.get(prefix, 0) + 1
        return f"{prefix}{table[prefix]:04d}"

    def _birth(self, min_age: int, max_age: int) -> dt.date:
        days = self.rng.randint(min_age * 365 + 1, max_age * 365 + 200)
        return ANCHOR - dt.timedelta(days=days)

    def _name(self, female: bool) -> str:
        """One to three names, never the same name twice in two spellings."""
        pool = WOMEN if female else MEN
        chosen: dict[str, str] = {}
        for word in self.rng.sample(pool, self.rng.choice((1, 2, 2, 2, 3)) + 2):
            chosen.setdefault(word_key(word), word)
        return " ".join(list(chosen.values())[:self.rng.choice((1, 2, 2, 2, 3))])

    def rows(self, count: int) -> Iterator[list[str]]:
        """At least ``count`` residents' worth of CSV rows (whole families)."""
        made = 0
        while made < count:
            family = self._family()
            made += len(family)
            yield from family

    def _family(self) -> list[list[str]]:
        rng = self.rng
        kecamatan = rng.choice(self.kecamatan)
        desa = rng.choice(self.regions[kecamatan])
        issued = ANCHOR - dt.timedelta(days=rng.randint(30, 6000))
        kk = self._serial(self.kk_serials, kecamatan.replace(".", "") + f"{issued:%d%m%y}")
        address = (f"{rng.choice(STREETS)} {rng.choice(MEN + WOMEN)}",
                   f"{rng.randint(1, 15):03d}", f"{rng.randint(1, 8):03d}")
        agama = rng.choice(AGAMA)
        head_age = rng.randint(24, 75)
        widowed = rng.random() < 0.12
        head_female = widowed and rng.random() < 0.6
        members = [("KEPALA KELUARGA", head_female, head_age,
                    "CERAI MATI" if widowed else "KAWIN")]
        if not widowed:
            members.append(("ISTRI", True, max(19, head_age - rng.randint(0, 8)), "KAWIN"))
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
            age = rng.randint(0, max(0, head_age - 20))
            members.append(("ANAK", rng.random() < 0.5, age,
                            "KAWIN" if age > 24 and rng.random() < 0.5 else "BELUM KAWIN"))
        if rng.random() < 0.08:
            members.append(("ORANG TUA", rng.random() < 0.7, head_age + rng.randint(20, 30),
                            "CERAI MATI"))
        return [self._person(kecamatan, desa, kk, address, agama, *m) for m in members]

    def _person(self, kecamatan: str, desa: str, kk: str, address: tuple[str, str, str],
                agama: str, hubungan: str, female: bool, age: int, kawin: str) -> list[str]:
        rng = self.rng
        born = self._birth(age, age)
        nik = self._serial(self.serials, kecamatan.replace(".", "") + date_part(born, female))
        if age < 17:
            job = "PELAJAR/MAHASISWA" if age >= 6 else "BELUM/TIDAK BEKERJA"
        elif age > 64:
            job = rng.choice(("PENSIUNAN", "PETANI/PEKEBUN", "BELUM/TIDAK BEKERJA"))
        else:
            job = rng.choice(JOBS_WOMEN if female else JOBS_MEN)
        prop, kab, kec, kel = desa.split(".")
        values = {
            "NIK": nik, "NO_KK": kk, "NAMA_LGKP": self._name(female),
            "TMPT_LHR": rng.choice(PLACES), "TGL_LHR": f"{born:%d-%m-%Y}",
            "JENIS_KLMIN": "PEREMPUAN" if female else "LAKI-LAKI",
            "GOL_DRH": rng.choice(GOLONGAN), "AGAMA": agama, "STAT_KWN": kawin,
            "JENIS_PKRJN": job, "KWRNGRN": "WNI", "TGL_AKH_ITAP": "", "STAT_HBKEL": hubungan,
            "ALAMAT": address[0], "NO_RT": address[1], "NO_RW": address[2], "NO_PROP": prop,
            "NO_KAB": kab, "NO_KEC": kec, "NO_KEL": kel, "STATUS_PDDK": "AKTIF",
        }
        return [values[c] for c in HEADER]
