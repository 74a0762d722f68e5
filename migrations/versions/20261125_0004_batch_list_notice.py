"""Batch lists become notices: numbered, stored and verifiable like every other notice.

A notice now belongs to a claim's transition or to a payout batch. Lists issued before
this revision move from the batch row into notices, with a new verification code.

Revision ID: 0004_batch_list
Revises: 0003_web
Create Date: 2026-11-25 13:35:43
"""

import re
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004_batch_list"
down_revision = "0003_web"
branch_labels = None
depends_on = None

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")


def _code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def upgrade():
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.alter_column("claim_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("event_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f("uq_notices_batch_id"), ["batch_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_notices_batch_id_batches"), "batches", ["batch_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "of_a_claim_or_a_batch",
            "(claim_id IS NOT NULL AND event_id IS NOT NULL AND batch_id IS NULL)"
            " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NOT NULL)",
        )

    bind = op.get_bind()
    issued = bind.execute(
        sa.text(
            "SELECT id, list_number, list_sha256, list_pdf, confirmed_at FROM batches"
            " WHERE list_number IS NOT NULL"
        )
    ).fetchall()
    finance = bind.execute(sa.text("SELECT id, name FROM departments WHERE code = 'CZJ'")).first()
    notices = sa.table(
        "notices",
        *(
            sa.column(n)
            for n in (
                "batch_id",
                "kind",
                "department_id",
                "year",
                "seq",
                "number",
                "verification_code",
                "sha256",
                "size",
                "pdf",
                "issued_at",
            )
        ),
        sa.column("facts", sa.JSON),
    )
    for batch_id, number, sha256, pdf, confirmed_at in issued:
        year, seq = (int(x) for x in _NUMBER.search(number).groups())
        bind.execute(
            notices.insert().values(
                batch_id=batch_id,
                kind="batch_list",
                department_id=finance.id,
                year=year,
                seq=seq,
                number=number,
                verification_code=_code(),
                sha256=sha256,
                size=len(pdf),
                pdf=pdf,
                issued_at=confirmed_at,
                facts={"kind": "batch_list", "number": number, "issuer_name": finance.name},
            )
        )

    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_batches_list_number"), type_="unique")
        batch_op.drop_column("list_number")
        batch_op.drop_column("list_sha256")
        batch_op.drop_column("list_pdf")


def downgrade():
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("list_pdf", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("list_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("list_number", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_batches_list_number"), ["list_number"])

    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT batch_id, number, sha256, pdf FROM notices WHERE batch_id IS NOT NULL")
    ).fetchall()
    for batch_id, number, sha256, pdf in rows:
        bind.execute(
            sa.text(
                "UPDATE batches SET list_number = :n, list_sha256 = :s, list_pdf = :p WHERE id = :b"
            ),
            {"n": number, "s": sha256, "p": pdf, "b": batch_id},
        )
    bind.execute(sa.text("DELETE FROM notices WHERE batch_id IS NOT NULL"))

    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_notices_of_a_claim_or_a_batch"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_notices_batch_id_batches"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_notices_batch_id"), type_="unique")
        batch_op.alter_column("event_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.alter_column("claim_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("batch_id")
