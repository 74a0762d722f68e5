"""Serving stored files (evidence, notices): a sandboxing policy of their own, a name with
the sniffed type's extension, and only PDFs and images shown inline."""

from __future__ import annotations

from flask import Response

from approvals.extensions import talisman

# A stored PDF or image is shown on its own, sandboxed: no script, no form, no plugin
# but the browser's own viewer, nothing loaded from elsewhere.
# (The browser's image viewer styles its own page, hence the inline style.)
FILE_POLICY = {
    "sandbox": "",
    "default-src": "'none'",
    "img-src": "'self'",
    "style-src": "'unsafe-inline'",
}


EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
SHOWN_INLINE = frozenset(EXTENSIONS)


def file_name(original: str, content_type: str) -> str:
    """The uploader's name with the extension of the sniffed type: `合同.exe` (a PDF) →
    `合同.pdf`, so that the saved file opens as what it is."""
    stem = original.rsplit(".", 1)[0] if "." in original.strip(".") else original
    return (stem.strip() or "file") + EXTENSIONS.get(content_type, ".bin")


def stored_file(view):
    """A view that answers with a stored file: the sandboxing policy instead of the pages'."""
    return talisman(content_security_policy=FILE_POLICY, frame_options="SAMEORIGIN")(view)


def evidence_headers(response: Response, content_type: str) -> Response:
    """PDFs and images inline; anything else only as a download."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if content_type not in SHOWN_INLINE:
        disposition = response.headers.get("Content-Disposition", "")
        response.headers["Content-Disposition"] = disposition.replace("inline", "attachment", 1)
    return response
