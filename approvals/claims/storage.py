"""Evidence files: type checked from content, stored once under their SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

# Magic numbers of the accepted types; the name a user gives a file proves nothing.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff_type(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def path_for(storage_dir: str, sha256: str) -> Path:
    return Path(storage_dir) / sha256[:2] / sha256[2:4] / sha256


def store(storage_dir: str, data: bytes) -> str:
    """Write `data` under its SHA-256 (atomically; once); return the hex digest."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(storage_dir, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return digest
