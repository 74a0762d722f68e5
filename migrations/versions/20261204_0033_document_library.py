"""The enterprise's document library (材料库) and itemised 补正: library documents with their
validity, an attachment's reference to the library document it came from, and the
enterprise's answer to each item of a return for supplement.

Revision ID: 0033_document_library
Revises: 0032_eligibility
Create Date: 2026-12-04 20:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0033_document_library"
down_revision = "0032_eligibility"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, approvals.db.UTCDateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), **kw
    )


def upgrade():
    op.create_table(
        "library_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        _time("uploaded_at"),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        _time("superseded_at", nullable=True),
        sa.CheckConstraint("size > 0", name=op.f("ck_library_documents_size_positive")),
        _fk("library_documents", "enterprise_id", "enterprises"),
        _fk("library_documents", "uploaded_by_id", "users"),
        _fk("library_documents", "replaces_id", "library_documents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_documents")),
    )
    op.create_index(
        "ix_library_documents_enterprise_id_kind", "library_documents", ["enterprise_id", "kind"]
    )
    op.create_index(op.f("ix_library_documents_sha256"), "library_documents", ["sha256"])

    # A batch (copy and move) on SQLite: attachments carry no triggers, and nothing refers
    # to them before supplement_answers below.
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("library_document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_attachments_library_document_id_library_documents"),
            "library_documents",
            ["library_document_id"],
            ["id"],
        )

    op.create_table(
        "supplement_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=40), nullable=False),
        sa.Column("reply", sa.String(length=200), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=False),
        _time("answered_at"),
        _fk("supplement_answers", "claim_id", "claims"),
        _fk("supplement_answers", "event_id", "claim_events"),
        _fk("supplement_answers", "attachment_id", "attachments", ondelete="SET NULL"),
        _fk("supplement_answers", "answered_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplement_answers")),
        sa.UniqueConstraint("event_id", "item_key", name="uq_supplement_answers_event_id_item_key"),
    )
    op.create_index(op.f("ix_supplement_answers_claim_id"), "supplement_answers", ["claim_id"])


def downgrade():
    op.drop_index(op.f("ix_supplement_answers_claim_id"), table_name="supplement_answers")
    op.drop_table("supplement_answers")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_attachments_library_document_id_library_documents"),
            type_="foreignkey",
        )
        batch_op.drop_column("library_document_id")
    op.drop_index(op.f("ix_library_documents_sha256"), table_name="library_documents")
    op.drop_index("ix_library_documents_enterprise_id_kind", table_name="library_documents")
    op.drop_table("library_documents")
