"""Render a notice's recorded facts to a one-page PDF: Jinja layout → WeasyPrint."""

from __future__ import annotations

import atexit
import gc
import hashlib
import math
import mimetypes
import os
import threading
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from approvals.clock import LOCAL

from .facts import KIND_TITLES, NoticeFacts, notice_title
from .numerals import to_capital_yuan
from .qr import qr_data_uri
from .wording import chinese_date, signed_parts

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent.parent
TEMPLATES = ROOT / "templates"
FONTS = PACKAGE / "fonts"
ASSETS = PACKAGE / "assets"
STYLESHEET = ASSETS / "notice.css"


class NoticeRenderError(RuntimeError):
    """The notice could not be rendered as designed (e.g. a refused resource)."""


class NoticeURLFetcher(URLFetcher):
    """Serve data: URIs and files under the notice fonts and assets; refuse all else.

    A notice is rendered from data an enterprise typed: whatever slips through
    escaping must never make the server fetch a URL or read a local file.
    """

    def __init__(self, roots: tuple[Path, ...] = (FONTS, ASSETS)) -> None:
        # fail_on_errors: a notice missing part of its layout must not be issued.
        super().__init__(
            allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True
        )
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.allowed_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": content_type}
                )
        raise PermissionError(f"notice renderer refuses to fetch {url[:200]!r}")

    def allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.query:
            return None
        # resolve() folds "..", "%2e%2e" (after unquote) and symlinks before the check.
        path = Path(unquote(parts.path)).resolve()
        if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
            return path
        return None


@dataclass(frozen=True)
class Amount:
    figures: str  # 120,000.00 元
    capital: str  # 壹拾贰万元整


@dataclass(frozen=True)
class SealGlyph:
    char: str
    x: float
    y: float
    angle: float


@dataclass(frozen=True)
class Seal:
    glyphs: tuple[SealGlyph, ...]
    font_size: float
    star: str


class _Renderer:
    """Per-process WeasyPrint state: fonts loaded and the stylesheet parsed once."""

    def __init__(self) -> None:
        self.fetcher = NoticeURLFetcher()
        # One FontConfiguration for all renders: @font-face files are decoded and
        # registered with fontconfig once, and Pango's font cache stays warm.
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            filename=str(STYLESHEET), font_config=self.font_config, url_fetcher=self.fetcher
        )
        self.base_url = ASSETS.as_uri() + "/"
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )

    def html(self, facts: NoticeFacts, *, compact: bool = False) -> str:
        if facts.kind not in KIND_TITLES:
            raise ValueError(f"unknown notice kind: {facts.kind!r}")
        template = self.env.get_template(f"notices/{facts.kind}.html")
        return template.render(notice_context(facts), compact=compact)

    def layout(self, html: str) -> Document:
        document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        return document.render(font_config=self.font_config, stylesheets=[self.stylesheet])

    def pdf(self, facts: NoticeFacts) -> bytes:
        try:
            compact = long_opinion(facts.comment)
            document = self.layout(self.html(facts, compact=compact))
            if len(document.pages) > 1 and not compact:
                # Set the notice in smaller type rather than spill onto a second
                # sheet; only a very long opinion still takes two pages.
                document = self.layout(self.html(facts, compact=True))
            return document.write_pdf(pdf_identifier=pdf_identifier(facts))
        except FatalURLFetchingError as exc:
            # WeasyPrint's fatal error derives from BaseException, which web servers
            # and test runners do not expect from a library call.
            raise NoticeRenderError(str(exc)) from exc.__cause__


def long_opinion(comment: str | None) -> bool:
    """Whether the opinion is too long for 3号 type on one page (measured: ~100 characters).

    Guessing up front saves laying the page out twice; a wrong guess only costs that.
    """
    lines = [line.strip() for line in (comment or "").splitlines() if line.strip()]
    # 27 characters to a 156 mm line in 3号 type, the first indented by two.
    return sum(math.ceil((len(line) + 2) / 27) for line in lines) > 4


_lock = threading.Lock()
_renderer: _Renderer | None = None
_retired: list[_Renderer] = []


def _forget_renderer_after_fork() -> None:
    """Give a forked child (a gunicorn or pool worker) its own fonts and lock."""
    global _lock, _renderer
    if _renderer is not None:
        # The inherited FontConfiguration removes its temporary font folder when
        # collected: the parent's folder, still in use there. Disown it, and keep
        # the object until exit rather than free Pango objects inside a fork hook.
        if getattr(_renderer.font_config, "_folder", None) is not None:
            _renderer.font_config._folder = None
        _retired.append(_renderer)
        _renderer = None
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_renderer_after_fork)


@atexit.register
def _release_at_exit() -> None:
    # Pango objects left to the garbage collector during interpreter teardown call
    # into libraries already finalised and crash the process (SIGSEGV in
    # g_object_unref, as in Kozea/WeasyPrint#2843); free them while all is alive.
    global _renderer
    _renderer = None
    _retired.clear()
    gc.collect()


def _get_renderer() -> _Renderer:
    global _renderer
    if _renderer is None:
        _renderer = _Renderer()
    return _renderer


def render_notice(facts: NoticeFacts) -> bytes:
    """Return the notice as PDF bytes; the same facts always give the same bytes."""
    # Pango and fontconfig objects are not safe to share between threads; threads
    # would gain nothing anyway, as layout holds the GIL. Processes scale it.
    with _lock:
        return _get_renderer().pdf(facts)


def render_document(template: str, context: dict, *, identifier: bytes) -> bytes:
    """Render another official document (e.g. a batch list) in the notices' layout.

    `context` must hold everything the template prints, including `created` (an ISO
    time) for the PDF metadata; with `identifier` it makes the bytes reproducible.
    """
    with _lock:
        renderer = _get_renderer()
        try:
            html = renderer.env.get_template(template).render(context)
            return renderer.layout(html).write_pdf(pdf_identifier=identifier)
        except FatalURLFetchingError as exc:
            raise NoticeRenderError(str(exc)) from exc.__cause__


def render_html(facts: NoticeFacts) -> str:
    """The HTML the PDF is made from, for previews and for debugging the layout."""
    with _lock:
        return _get_renderer().html(facts)


def warm_up() -> None:
    """Load fonts and stylesheet now (e.g. in a worker's start-up), not on first render."""
    with _lock:
        _get_renderer()


def notice_context(facts: NoticeFacts) -> dict:
    issued_at = facts.issued_at
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    local = issued_at.astimezone(LOCAL)
    comment = facts.comment or ""
    submitted = facts.submitted_at.astimezone(LOCAL) if facts.submitted_at else None
    return {
        "facts": facts,
        "heading": notice_title(facts),
        "issued_on": chinese_date(local),
        # the issuer speaking of itself: 我局, 我办
        "we": "我" + (facts.issuer_name[-1:] or "局"),
        "submitted_on": (
            f"{chinese_date(submitted)}{submitted.hour}时{submitted.minute:02d}分"
            if submitted
            else None
        ),
        "created": issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        # None for a recognition (税收分成认定), which asks for no amount
        "requested": optional_amount(facts.requested_amount),
        "approved": optional_amount(facts.approved_amount),
        "paid": optional_amount(facts.paid_amount),
        "reduction": optional_amount(facts.reduction),
        # a recovery case's figures; None where the notice's facts do not record them
        "recovery_due": optional_amount(facts.recovery_due),
        "repayment": optional_amount(facts.repayment),
        "repaid_total": optional_amount(facts.repaid_total),
        "outstanding": optional_amount(facts.outstanding),
        "amount_written_off": optional_amount(facts.amount_written_off),
        "proposed": optional_amount(facts.proposed_amount),
        "signed_parts": signed_parts(facts.signers),
        "supplement_due": chinese_date(facts.supplement_due) if facts.supplement_due else None,
        # a recognition's period, and a payout's transfers (有功人员 by name)
        "share": share_percent(facts.recognised_share),
        "share_from_on": chinese_date(facts.share_from) if facts.share_from else None,
        "share_until_on": chinese_date(facts.share_until) if facts.share_until else None,
        "paid_lines": [(line, amount(line.amount)) for line in facts.payout_lines],
        "comment_lines": [line.strip() for line in comment.splitlines() if line.strip()],
        "qr_uri": qr_data_uri(facts.verify_url),
        "seal": seal(facts.issuer),
    }


def amount(value: Decimal) -> Amount:
    return Amount(figures=f"{value:,.2f} 元", capital=to_capital_yuan(value))


def share_percent(value: Decimal | None) -> str | None:
    """A recognised share as officials write it: 30.00 → 30%, 12.50 → 12.5%."""
    return None if value is None else f"{value.normalize():f}%"


def optional_amount(value: Decimal | None) -> Amount | None:
    """An amount the facts may not record: None prints nothing, zero prints 0.00 元."""
    return None if value is None else amount(value)


def pdf_identifier(facts: NoticeFacts) -> bytes:
    """A stable PDF /ID for the notice, so re-rendering the same facts is byte-identical."""
    digest = hashlib.sha256(f"{facts.number}\n{facts.verification_code}".encode())
    return digest.hexdigest()[:32].encode()


def seal(name: str) -> Seal:
    """Place the issuer's name on the upper arc of a round seal, 200 × 200 units."""
    chars = [char for char in name if not char.isspace()] or ["印"]
    count = len(chars)
    # Short names spread 40° apart; long ones fill 240° of the rim, then shrink.
    step = 40.0 if count < 2 else min(40.0, 240.0 / (count - 1))
    radius = 60.0  # glyph centres; the ring's inner edge is at 91
    font_size = min(26.0, round(radius * math.radians(step) * 0.8, 1))
    baseline = radius - font_size * 0.38  # CJK glyphs sit ~0.38 em above the baseline
    glyphs = []
    for index, char in enumerate(chars):
        angle = (index - (count - 1) / 2) * step
        theta = math.radians(angle)
        # A glyph is drawn from the left end of its baseline: half an em back along
        # the tangent from the point under the glyph's centre.
        x = 100 + baseline * math.sin(theta) - font_size / 2 * math.cos(theta)
        y = 100 - baseline * math.cos(theta) - font_size / 2 * math.sin(theta)
        glyphs.append(SealGlyph(char=char, x=round(x, 2), y=round(y, 2), angle=round(angle, 2)))
    return Seal(glyphs=tuple(glyphs), font_size=font_size, star=star_path(100, 103, 27))


def star_path(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382  # the regular five-pointed star's ratio
    points = []
    for index in range(10):
        r = outer if index % 2 == 0 else inner
        theta = math.radians(index * 36)
        points.append(f"{cx + r * math.sin(theta):.2f} {cy - r * math.cos(theta):.2f}")
    return "M" + "L".join(points) + "Z"
