"""The catalog the shipped features register (guards, fields, effects, notices, roles)."""

from functools import cache

from approvals import create_app
from approvals.workflow.registry import Catalog, catalog


@cache
def shipped_catalog() -> Catalog:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t" * 40})
    return catalog(app)
