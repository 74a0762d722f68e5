"""Finance names no state or trigger of the enterprise track, not even in a comment.

Finance serves every workflow: what a state means to it is a tag (`payable`, `paid`), what
a move does is an effect (`budget.pay`). So `grep -w` for any state or trigger name of
`enterprise_claim` in approvals/finance/ finds nothing: not as a name in the code, not in a
string, not in a comment or docstring. The words are read from the loaded workflow, so a
state added to the file is checked from then on. Finance's own vocabulary (a batch being
composed, how a recovery case ended) uses other words.
"""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

from approvals.config import REPO_ROOT
from approvals.workflow.registry import workflows

FINANCE = REPO_ROOT / "approvals" / "finance"
WORD = re.compile(r"[A-Za-z0-9_]+")  # what `grep -w` takes for one word
PROSE = {tokenize.STRING, tokenize.COMMENT}


def enterprise_names(app) -> set[str]:
    with app.app_context():
        spec = workflows().get("enterprise_claim").spec
    return set(spec.states) | set(spec.triggers)


def words(path: Path):
    """(line, word) of every name, and of every word inside a string or comment."""
    with path.open("rb") as source:
        for token in tokenize.tokenize(source.readline):
            if token.type == tokenize.NAME:
                yield token.start[0], token.string
            elif token.type in PROSE:
                for offset, line in enumerate(token.string.splitlines()):
                    for word in WORD.findall(line):
                        yield token.start[0] + offset, word


def found_in(paths, names: set[str], root: Path = REPO_ROOT) -> list[str]:
    """file:line: word for each of `names` found, the file relative to `root`."""
    return [
        f"{path.relative_to(root).as_posix()}:{line}: {word}"
        for path in paths
        for line, word in words(path)
        if word in names
    ]


def test_finance_names_no_state_or_trigger_of_the_enterprise_track(app):
    names = enterprise_names(app)
    assert {"disbursed", "disburse", "write_off"} <= names  # the spec was read
    found = found_in(sorted(FINANCE.glob("*.py")), names)
    assert not found, (
        "enterprise_claim's states or triggers named in approvals/finance/ (ask the spec for a "
        "tag or an effect; say it in other words in prose):\n" + "\n".join(found)
    )


def test_the_scan_sees_names_strings_and_comments_but_not_longer_words(app, tmp_path):
    example = tmp_path / "example.py"
    example.write_text(
        "def disburse():  # one payout\n"
        '    return "recovery.written_off", approved_amount\n'
        '"""Prose: a draft\nbatch."""\n',
        encoding="utf-8",
    )
    assert found_in([example], enterprise_names(app), tmp_path) == [
        "example.py:1: disburse",
        "example.py:2: written_off",
        "example.py:3: draft",
    ]
