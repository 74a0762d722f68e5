"""Fixtures of the document library tests: the signed-in web client, a clause and a claim."""

from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.library.models import LibraryDocument
from tests.conftest import PDF_BYTES, set_clock
from tests.web.conftest import web  # noqa: F401  (the fixture)

WINDOW = (date(2026, 9, 1), date(2026, 9, 30))
LICENCE = PDF_BYTES + b"% business licence\n"


@pytest.fixture
def clause(seeded, make_policy):
    """A clause requiring the business licence and a project plan, its window open at the
    app's clock (Beijing, 10 September 2026)."""
    set_clock(seeded, "2026-09-10T10:00")
    return make_policy(
        call_year=2026,
        window_open=WINDOW[0],
        window_close=WINDOW[1],
        required_evidence=["business_licence", "project_plan"],
    )


def put_in_library(client, kind="business_licence", data=LICENCE, name="营业执照.pdf", **extra):
    return client.post(
        "/library",
        {"kind": kind, "file": (BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def library_document(app, sha256: str | None = None) -> LibraryDocument:
    with app.app_context():
        query = select(LibraryDocument).order_by(LibraryDocument.id.desc())
        if sha256:
            query = query.where(LibraryDocument.sha256 == sha256)
        document = db.session.scalars(query).first()
        db.session.expunge(document)
        return document


def stored_files(app) -> list:
    """The files of the evidence store (temporary upload names aside)."""
    from pathlib import Path

    root = Path(app.config["STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]
