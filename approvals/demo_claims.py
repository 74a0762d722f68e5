"""Demo claims: every role's first screen shows work, in every state of the claim workflow.

`seed_claims()` files the claims of `demo_claims.toml` for the demo claimants and drives
each one through the real services (create_claim, add_attachment, the people a claim
rewards, advance() with dated opinions, review task decisions, the departments' 申请认定表
(prepared, checked and sent by their chains), the recovery services,
batches compose/scale/confirm, the tick's lapse), so that notices, ledger rows and hash
chains are all genuine. It runs only on a database without
claims: a second run adds nothing and says so.

The history is dated: each step of the file is taken at its working day before the day of
seeding (advance()'s `now`), all claims' steps in the order of their times, so that notice
numbers follow their dates. What a service stamps with the system clock instead (a claim's
creation, an upload) is set to the step's time afterwards. Batches are composed and paid,
and the lapse taken, at the time of seeding.
"""

from __future__ import annotations

import time as clock
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from approvals.access.tasks import can_decide
from approvals.claims import rewards, services
from approvals.claims.models import Attachment, Claim, RewardRecipient
from approvals.claims.supplement import lapse_overdue
from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.extensions import db
from approvals.finance import batches, recovery
from approvals.notifications.models import Message
from approvals.organisations.models import Department, User
from approvals.policies.models import Policy
from approvals.policies.vocabulary import EVIDENCE_KINDS
from approvals.recognition_forms import services as recognition_forms
from approvals.workflow import runtime, tasks
from approvals.workflow.calendar import is_workday, load_overrides
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import engine_for, workflows

DATA_FILE = Path(__file__).with_name("demo_claims.toml")
# Who takes a trigger, by the role the workflow gives it (the reviewer is the department's).
OFFICIALS = {"finance": "finance", "government": "gov"}


@dataclass
class ClaimsReport:
    by_state: Counter = field(default_factory=Counter)
    existing: int = 0  # claims found before seeding: then nothing was added
    refused: str = ""  # why no claims could be filed, if so
    seconds: float = 0.0  # how long filing them took

    @property
    def added(self) -> int:
        return sum(self.by_state.values())

    def summary(self) -> str:
        """One line for the command's output."""
        if self.existing:
            return (
                f"演示申报：数据库已有 {self.existing} 件申报，未再生成 / demo claims: none added"
            )
        if self.refused:
            return f"演示申报未生成 / no demo claims: {self.refused}"
        # A state's name means the same in every workflow that declares it (草稿, 待拨付 …).
        labels = {}
        for engine in workflows().latest():
            for state in engine.spec.states:
                labels.setdefault(state, engine.spec.label(state))
        parts = "，".join(
            f"{label} {self.by_state[state]}"
            for state, label in labels.items()
            if self.by_state[state]
        )
        return f"演示申报 / demo claims: {self.added} 件（{parts}），{self.seconds:.1f} s"


@dataclass(frozen=True)
class Step:
    at: datetime  # aware UTC
    story: dict  # the claim's entry in the file
    step: dict


def load() -> dict:
    return tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))


def seed_claims(data: dict | None = None) -> ClaimsReport:
    """File the demo claims unless the database has claims already."""
    existing = db.session.scalar(select(func.count()).select_from(Claim))
    if existing:
        return ClaimsReport(existing=existing)
    data = data or load()
    started, now = clock.perf_counter(), current_time()
    timeline = _timeline(data["claims"], now)
    refused = _window_problem(timeline, now)
    if refused:
        return ClaimsReport(refused=refused)
    users = {u.username: u for u in db.session.scalars(select(User))}
    claims: dict[str, int] = {}
    for item in timeline:
        _take(item, claims, users)
    for batch in data.get("batches", []):
        _batch(batch, claims, users["finance"])
    lapse_overdue(now)  # `flask tick`: the claim past its 补正期限
    _read_the_older_messages(now)
    states = db.session.scalars(select(Claim.state).where(Claim.id.in_(claims.values())))
    return ClaimsReport(by_state=Counter(states), seconds=clock.perf_counter() - started)


def _read_the_older_messages(now: datetime) -> None:
    """An enterprise has read what came more than a week ago (the day after), so that its
    inbox shows the recent steps unread, as a user's would."""
    with transaction():
        older = select(Message).where(Message.created_at < now - READ_AFTER)
        for message in db.session.scalars(older):  # the demo's few dozen
            message.read_at = message.created_at + timedelta(days=1)


READ_AFTER = timedelta(days=7)


# The timeline ---------------------------------------------------------------------------


def working_days_before(today: date, n: int, overrides) -> date:
    """The n-th working day before `today` (today not counted)."""
    day, counted = today, 0
    while counted < n:
        day -= timedelta(days=1)
        counted += is_workday(day, overrides)
    return day


def _timeline(stories: list[dict], now: datetime) -> list[Step]:
    """Every step of every claim at its time, earliest first; a claim's own steps must
    come in the order of their times, each at least a working day before `now`."""
    today = now.astimezone(LOCAL).date()
    overrides = load_overrides()
    steps = []
    for story in stories:
        previous = None
        for step in story["steps"]:
            if step["day"] < 1:
                raise ValueError(f"{story['key']}: steps are dated a working day back or more")
            day = working_days_before(today, step["day"], overrides)
            local = datetime.combine(day, time.fromisoformat(step["at"]), tzinfo=LOCAL)
            if previous is not None and local <= previous:
                raise ValueError(f"{story['key']}: step {step['do']} is not after the one before")
            previous = local
            steps.append(Step(local.astimezone(UTC), story, step))
    return sorted(steps, key=lambda s: s.at)


def _window_problem(timeline: list[Step], now: datetime) -> str:
    """Why the dated history does not fit the policies' windows (an old demo database)."""
    first = {}
    for item in timeline:
        first.setdefault(item.story["policy"], item.at.astimezone(LOCAL).date())
    today = now.astimezone(LOCAL).date()
    for code, day in sorted(first.items()):
        policy = db.session.scalar(select(Policy).where(Policy.code == code))
        if policy is None:
            return f"政策 {code} 不存在，请先运行 seed-demo 的基础数据"
        if not (policy.window_open <= day and today <= policy.window_close):
            return (
                f"政策 {code} 的申报期（{policy.window_open:%Y-%m-%d} 至 "
                f"{policy.window_close:%Y-%m-%d}）不覆盖演示申报的日期（自 {day:%Y-%m-%d} 起）"
            )
    return ""


# One step -------------------------------------------------------------------------------


def _take(item: Step, claims: dict[str, int], users: dict[str, User]) -> None:
    story, step, at = item.story, item.step, item.at
    enterprise = users[story["enterprise"]]
    action = step["do"]
    if action == "create":
        claim = services.create_claim(
            enterprise,
            story["policy"],
            story["title"],
            story.get("requested"),  # none for a recognition (税收分成认定)
            story.get("amount_inputs"),
        )
        claims[story["key"]] = claim.id
        kinds = story.get("evidence") or claim.policy.required_evidence
        uploaded = [
            _attach(enterprise, claim, kind, f"{EVIDENCE_KINDS[kind]}.pdf") for kind in kinds
        ]
        _dated(at, claim.id, uploaded, created=True)
        return
    claim_id = claims[story["key"]]
    if action == "attach":
        claim = db.session.get(Claim, claim_id)
        _dated(at, claim_id, [_attach(enterprise, claim, step["kind"], step["file"])])
        return
    if action == "reward":  # a person the claim rewards (有功人员)
        claim = db.session.get(Claim, claim_id)
        person = rewards.add_recipient(
            enterprise, claim, _fields(step), at.astimezone(LOCAL).date()
        )
        _dated(at, claim_id, [], recipients=[person.id])
        return
    if action == "decide":  # a department's review task (联合审核), through the task door
        _decide(claim_id, step, at, users)
        return
    if action == "send_form":  # the department's 申请认定表 of the claim's year, sent
        _send_form(db.session.get(Claim, claim_id), at, users)
        return
    claim = db.session.get(Claim, claim_id)
    actor = _actor(action, claim, enterprise, users)
    fields = _fields(step)
    version = claim.version
    # A recovery move goes through its service, as from the 资金追回 page (it asks for the
    # reason); the workflow file's effects say which moves those are.
    move = recovery.move_named(claim, action)
    if move is not None:
        recovery.take(actor, claim_id, move[1], version=version, now=at, **fields)
    else:
        runtime.advance(actor, claim_id, action, version=version, now=at, **fields)


def _fields(step: dict) -> dict:
    return {k: v for k, v in step.items() if k not in ("day", "at", "do")}


def _decide(claim_id: int, step: dict, at: datetime, users: dict[str, User]) -> None:
    """The open task of `department` in the claim's latest round, decided by its reviewer
    (or, where four-eyes bars the reviewer, its section chief)."""
    code = step["department"]
    task = db.session.scalar(
        select(ReviewTask)
        .join(Department, Department.id == ReviewTask.department_id)
        .where(ReviewTask.claim_id == claim_id, Department.code == code)
        .where(ReviewTask.status != "done")
        .order_by(ReviewTask.id.desc())
        .limit(1)
    )
    if task is None:
        raise ValueError(f"claim {claim_id}: no open review task of {code}")
    # Four-eyes: the lead department's reviewer, who approved the claim for joint review,
    # leaves the department's joint task to its section chief.
    officials = [users[f"{prefix}_{code.lower()}"] for prefix in ("reviewer", "chief")]
    decider = next((u for u in officials if can_decide(u, task)), officials[0])
    decision = step.get("decision", "agree")
    tasks.decide(decider, task.id, decision, step.get("opinion"), version=task.version, now=at)


def _send_form(claim: Claim, at: datetime, users: dict[str, User]) -> None:
    """The claim's department prepares (经办), checks (审核) and sends (审批) its form of the
    claim's call year, listing every claim of the department waiting for it, at `at`."""
    code = claim.department.code.lower()
    officer, chief, leader = (
        users[f"{prefix}_{code}"] for prefix in ("reviewer", "chief", "leader")
    )
    form = recognition_forms.prepare(officer, claim.policy.call_year, now=at)
    form = recognition_forms.check(chief, form.id, version=form.version, now=at)
    recognition_forms.send(leader, form.id, version=form.version, comment="同意报送", now=at)


def _actor(trigger: str, claim: Claim, enterprise: User, users: dict[str, User]) -> User:
    role = engine_for(claim).spec.first(trigger).roles[0]
    if role == "enterprise":
        return enterprise
    if role == "reviewer":
        return users[f"reviewer_{claim.policy.department.code.lower()}"]
    return users[OFFICIALS[role]]


def _attach(enterprise: User, claim: Claim, kind: str, filename: str) -> int:
    data = evidence_pdf(claim.number, kind, len(claim.attachments) + 1)
    return services.add_attachment(enterprise, claim.id, data, filename, kind).id


def _dated(
    at: datetime, claim_id: int, attachment_ids: list[int], created=False, recipients=()
) -> None:
    """Date what the services stamped with the system clock at the step's time: none of it
    is in the record's hash chains, and the claim page prints the upload times."""
    with transaction():
        claim = db.session.get(Claim, claim_id)
        claim.updated_at = at
        if created:
            claim.created_at = at
        for attachment_id in attachment_ids:
            db.session.get(Attachment, attachment_id).uploaded_at = at
        for recipient_id in recipients:
            db.session.get(RewardRecipient, recipient_id).created_at = at


def _batch(entry: dict, claims: dict[str, int], finance: User) -> None:
    batch = batches.compose(finance, [claims[key] for key in entry["claims"]], entry["note"])
    if "scale" in entry:
        batches.scale(finance, batch.id, entry["scale"]["policy"], entry["scale"]["limit"])
    if entry.get("confirm"):
        batches.confirm(finance, batch.id)


# Evidence -------------------------------------------------------------------------------


def evidence_pdf(claim_number: str, kind: str, ordinal: int) -> bytes:
    """A small, genuine one-page PDF that any viewer opens: what it stands for, in ASCII
    (the base fonts have no Chinese). Each file differs, as real evidence would."""
    lines = [
        "Approvals demo evidence",
        f"Claim {claim_number}",
        f"Kind: {kind}",
        f"Document {ordinal}",
    ]
    text = "".join(f"({_pdf_text(line)}) Tj 0 -22 Td " for line in lines)
    content = f"BT /F1 16 Tf 72 760 Td {text}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
