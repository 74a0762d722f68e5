"""HTTP security headers on every answer: CSP, HSTS over https, Permissions-Policy, no-store.

flask-talisman sets the standard headers. The policy allows no inline script or style:
the pages load app.css and app.js from /static and nothing else. Answers that may carry
personal data (every page but the static files) are never stored by the browser or a
proxy (`Cache-Control: no-store`). Stored files get their own, stricter policy
(approvals/downloads.py).
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from approvals.extensions import talisman

PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # inline SVG charts and the QR codes are data or markup
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Browser features the app never uses are switched off for every page.
PERMISSIONS_POLICY = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "browsing-topics": "()",
}


def is_https(app: Flask) -> bool:
    return app.config["PUBLIC_BASE_URL"].lower().startswith("https://")


def init_app(app: Flask) -> None:
    https = is_https(app)
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        # Behind a reverse proxy the client's address and scheme arrive in X-Forwarded-*
        # headers; trusting exactly that many hops keeps per-address rate limits honest.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    talisman.init_app(
        app,
        # TLS ends at the reverse proxy, which redirects plain http; the app never does.
        force_https=False,
        session_cookie_secure=https,
        strict_transport_security=https,
        strict_transport_security_include_subdomains=False,
        content_security_policy=PAGE_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    if https:  # Talisman sets the session cookie; the remember-me cookie follows it.
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.after_request(_no_store)


def _no_store(response: Response) -> Response:
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
