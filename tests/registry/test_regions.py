"""The national region list ships with the package and loads idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from registry import regions
from registry.models import Region


def test_every_code_is_loaded_once_and_reloading_is_a_no_op(db):
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(Region))
        levels = dict(session.execute(
            select(Region.level, func.count()).group_by(Region.level)).all())
    assert total == 91_599
    assert levels == {1: 38, 2: 514, 3: 7_285, 4: 83_762}
    with db.write() as session:
        assert regions.load(session) == 0


def test_sragen_has_its_20_kecamatan_and_208_villages(db):
    with db.read() as session:
        index = regions.index(session)
    kecamatan = index.children("33.14")
    assert len(kecamatan) == 20
    assert sum(len(index.children(k)) for k in kecamatan) == 208
    place = index.place("33.14.10.1001")
    assert (place.kabupaten, place.provinsi, place.kecamatan) == (
        "Kabupaten Sragen", "Jawa Tengah", "Sragen")
