"""Steps of the counter done through the registry, for browser tests that start midway."""

from __future__ import annotations

from app import photos
from registry import applications, residents
from tests.printing.samples import BLUE, handwriting, portrait


def verified_application(live_server, nik: str) -> int:
    """A first card applied for, photo and signature captured, verified: ready to print."""
    with live_server.write() as session:
        resident = residents.get(session, nik)
        application = applications.submit(session, live_server.actor("kpt"), resident, "33.14")
        for kind, data in (("photo", portrait(BLUE)), ("signature", handwriting())):
            stored = photos.store(session, live_server.actor("kpt"), resident, kind, data)
            applications.attach_image(session, live_server.actor("kpt"), application, kind,
                                      stored.id)
        applications.verify(session, live_server.actor("supervisor"), application)
        return application.id
