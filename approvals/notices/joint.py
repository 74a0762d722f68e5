"""Who reviewed a claim together (联合审核), as the notices of the department/township track
name them: the departments of the claim's latest round of review tasks that held several
departments, in the order their tasks were opened (a department's sign-off chain, one
department however many steps, is no joint review); none for a claim never reviewed so.
"""

from __future__ import annotations


def joint_reviewers(claim) -> tuple[str, ...]:
    from approvals.organisations.naming import full_name

    # The claim's own collection: the door loads it with the claim (a round opened in the
    # same transaction expires it, approvals/workflow/rounds.py).
    tasks = [t for t in reversed(claim.review_tasks) if t.department_id is not None]
    rounds: dict[tuple[str, int], list] = {}
    for task in tasks:  # newest first
        rounds.setdefault((task.state, task.round), []).append(task)
    for group in rounds.values():
        departments = list(dict.fromkeys(t.department for t in reversed(group)))
        if len(departments) > 1:
            return tuple(full_name(d) for d in departments)
    return ()
