"""How a department is named on what the city issues: its full name (GB/T 9704 发文机关).

Here, beside the Department row, so that the claims feature (a transfer's or an agency's
wording) and the notices name a department the same way without importing each other.
"""

from __future__ import annotations

from flask import current_app

from approvals.organisations.models import Department


def full_name(department: Department | None) -> str:
    """The name printed on notices: the recorded full name, else the short one with the city
    (市经贸局 → 示范市经贸局, the standard's short form with the city)."""
    if department is None:
        return ""
    if department.full_name:
        return department.full_name
    city = current_app.config.get("CITY_NAME", "示范市")
    name = department.name
    if name.startswith(city):
        return name
    return city + (name[1:] if name.startswith("市") else name)
