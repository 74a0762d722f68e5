"""A state's review tasks as the workflow file declares them (`[states.<name>.tasks]`).

```toml
[states.joint_review.tasks]
candidates = "policy.joint_review"   # one task per department the claim's policy lists
complete = "all"                     # or "any", or n_of_m = 2 instead of `complete`
on_complete = "joint_approve"        # fired when the rule holds
on_disagree = "joint_return"         # fired at the first disagreement or return (optional)
signoff = ["case_officer", "section_chief", "leader"]  # each party's part signed in steps
above_threshold = ["leader"]         # steps needed only above the policy's signoff threshold
notice = "countersign"               # a notice of this kind for each decision (optional)
```

or `role = "finance"` instead of `candidates`: one task for that role. With `signoff` each
party's part is a sign-off chain (approvals/workflow/signoff.py): one task per step, in
order, each decided by an official of that position. The shape is read
here (`read_tasks`) and the names are checked against what the features registered
(`task_problems`), both at load time, so that a file that could never open or complete
its tasks stops the start with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from approvals.access.roles import POSITIONS

if TYPE_CHECKING:
    from approvals.workflow.spec import StateSpec, WorkflowSpec

# How a state's tasks complete: every task agrees, any one does, or `n_of_m = N` of them do.
COMPLETION_RULES = ("all", "any", "n_of_m")
TASK_KEYS = {
    "candidates",
    "role",
    "complete",
    "n_of_m",
    "on_complete",
    "on_disagree",
    "signoff",
    "above_threshold",
    "notice",
}
# A move the tasks fire carries the round's opinions as its opinion, and nothing else: it may
# require no other field, since nobody fills in a form for it.
TASK_OPINION_FIELD = "comment"
# The trigger of the audit event each task decision writes (approvals/workflow/tasks.py): the
# claim stays where it is. Reserved, like `migrate`: the loader refuses a workflow naming it.
TASK_DECISION = "task_decision"
RESERVED_TRIGGERS = (TASK_DECISION,)


@dataclass(frozen=True)
class TaskSpec:
    """Who must act while a claim is in a state, and which move each outcome fires: one task
    per department a candidate source lists, or one task for a role; `on_complete` when the
    completion rule holds, `on_disagree` at the first disagreement or return (without it a
    disagreement is only recorded)."""

    on_complete: str
    candidates: str | None = None
    role: str | None = None
    complete: str = "all"  # one of COMPLETION_RULES
    n: int | None = None  # with "n_of_m": how many must agree
    on_disagree: str | None = None
    # The positions that sign each party's part, in order (None: one task per party, no
    # chain); the steps of them needed only above the policy's threshold; the notice kind
    # issued for each decision.
    signoff: tuple[str, ...] | None = None
    above_threshold: tuple[str, ...] = ()
    notice: str | None = None
    line: int = 0

    @property
    def chained(self) -> bool:
        """Whether each party's part is a sign-off chain."""
        return bool(self.signoff)

    @property
    def triggers(self) -> tuple[str, ...]:
        """The moves the tasks fire, which no person takes directly from this state."""
        return tuple(t for t in (self.on_complete, self.on_disagree) if t)

    def needed(self, tasks: int) -> int:
        """How many of `tasks` must agree for the rule to hold."""
        if self.complete == "any":
            return 1
        if self.complete == "n_of_m":
            return self.n
        return tasks


def read_tasks(raw, line: int) -> TaskSpec:
    """The table's shape; raises ValueError naming what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("must be a table ([states.<name>.tasks])")
    unknown = set(raw) - TASK_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if "on_complete" not in raw:
        raise ValueError('name the move fired when the rule holds: on_complete = "<trigger>"')
    if "n_of_m" in raw and "complete" in raw:
        raise ValueError('give complete = "all" | "any", or n_of_m = N, not both')
    if "n_of_m" not in raw and "complete" not in raw:
        raise ValueError('name a completion rule: complete = "all" | "any", or n_of_m = N')
    n = raw.get("n_of_m")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int)):
        raise ValueError(f"n_of_m must be a whole number, not {n!r}")
    for key in ("candidates", "role", "complete", "on_complete", "on_disagree", "notice"):
        if key in raw and not isinstance(raw[key], str):
            raise ValueError(f"{key} must be a string")
    for key in ("signoff", "above_threshold"):
        if key in raw and not (
            isinstance(raw[key], list) and all(isinstance(p, str) for p in raw[key])
        ):
            raise ValueError(f'{key} must be a list of positions, e.g. ["case_officer"]')
    return TaskSpec(
        on_complete=raw["on_complete"],
        candidates=raw.get("candidates"),
        role=raw.get("role"),
        complete="n_of_m" if n is not None else raw["complete"],
        n=n,
        on_disagree=raw.get("on_disagree"),
        signoff=tuple(raw["signoff"]) if "signoff" in raw else None,
        above_threshold=tuple(raw.get("above_threshold", ())),
        notice=raw.get("notice"),
        line=line,
    )


def task_problems(
    spec: WorkflowSpec, state: StateSpec, roles, sources, notices=frozenset()
) -> list[str]:
    """What keeps a state's tasks from ever being opened or completed as written."""
    tasks, problems = state.tasks, _chain_problems(state.tasks)
    if tasks.candidates and tasks.role:
        problems.append("give candidates or role, not both")
    elif not (tasks.candidates or tasks.role):
        problems.append('name who acts: candidates = "<source>" or role = "<role>"')
    if tasks.candidates and tasks.candidates not in sources:
        known = ", ".join(sorted(sources)) or "none"
        problems.append(f"unknown candidate source '{tasks.candidates}' (known: {known})")
    if tasks.role and tasks.role not in roles:
        problems.append(f"unknown role '{tasks.role}'")
    if tasks.complete not in COMPLETION_RULES:
        problems.append(f"unknown completion rule '{tasks.complete}' (all, any or n_of_m)")
    if tasks.complete == "n_of_m" and tasks.n is None:
        problems.append('complete = "n_of_m" needs its number: write n_of_m = N instead')
    if tasks.complete == "all" and not tasks.on_disagree:
        # One disagreement and "all" can never hold: the claim would wait for ever.
        problems.append('complete = "all" needs on_disagree: the move a disagreement takes')
    if tasks.n is not None and tasks.n < 1:
        problems.append(f"impossible completion rule: n_of_m = {tasks.n} (at least 1)")
    if tasks.n is not None and tasks.n > 1 and tasks.role:
        problems.append(f"impossible completion rule: n_of_m = {tasks.n}, but a role has one task")
    if state.final:
        problems.append("a final state has no move for its tasks to fire")
    if tasks.notice is not None and tasks.notice not in notices:
        problems.append(f"unknown notice kind '{tasks.notice}'")
    if tasks.on_complete == tasks.on_disagree:
        problems.append(f"on_complete and on_disagree both name '{tasks.on_complete}'")
    for key, trigger in (("on_complete", tasks.on_complete), ("on_disagree", tasks.on_disagree)):
        if trigger is None:
            continue
        moves = spec.candidates(trigger, state.name)
        if not moves:
            problems.append(f"{key} '{trigger}' is not a move from '{state.name}'")
        if key == "on_complete" and tasks.chained:
            continue  # the chain's first step prepares its values (approvals/workflow/signoff.py)
        for move in moves:
            for name in sorted(set(move.requires) - {TASK_OPINION_FIELD}):
                problems.append(
                    f"{key} '{trigger}' (line {move.line}) requires '{name}',"
                    " which no task's decision gives"
                )
    return problems


def _chain_problems(tasks: TaskSpec) -> list[str]:
    """What keeps a sign-off chain from being signed as written."""
    problems, chain = [], tasks.signoff or ()
    if tasks.signoff is not None and not chain:
        problems.append("signoff names no step: list the positions that sign, in order")
    known = ", ".join(POSITIONS)
    for position in dict.fromkeys(chain):
        if position not in POSITIONS:
            problems.append(f"unknown position '{position}' in signoff (known: {known})")
        if chain.count(position) > 1:
            # Four-eyes counts (state, step): one person could sign both.
            problems.append(f"signoff names '{position}' twice")
    if tasks.above_threshold and tasks.signoff is None:
        problems.append("above_threshold without signoff: name the chain's steps first")
    for position in tasks.above_threshold:
        if chain and position not in chain:
            problems.append(f"above_threshold names '{position}', which is not a step of signoff")
    if chain and chain[0] in tasks.above_threshold:
        problems.append(
            f"above_threshold names the first step '{chain[0]}', which prepares the amount"
        )
    return problems
