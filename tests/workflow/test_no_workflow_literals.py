"""No code outside the workflow package names a workflow's states or triggers.

What a state means to a feature is a tag on it (`states_tagged("paid")`), what a move does
is an effect it names (`with_effect("budget.pay")`): so a second workflow, with other
names, runs through finance and the pages unchanged. This test reads every workflow file,
collects its state and trigger names, and fails, listing file:line, for each one found
quoted in the application outside `approvals/workflow/`:

- in Python (`approvals/**/*.py`), a string constant (found with `ast`: comments and
  docstrings that merely mention a state are prose, and a longer string containing one is
  not a name) equal to a name;
- in templates (`templates/**/*.html`), a string inside a Jinja tag (`{{ }}`, `{% %}`, found
  with Jinja's lexer) equal to a name; the HTML around them is not read, so
  `type="submit"` is an HTML attribute, not the trigger.

Two kinds of string are spelled like a state but are not one:

- a tag passed straight to a tag query (`in_states_tagged("approved")`, `is_tagged`,
  `states_tagged`, `has_tag`): the tags `approved`, `in_recovery`, `recovered` and
  `written_off` share their names with states of the enterprise track. Such a string must
  then be a tag (`spec.TAGS`), so a state cannot pass for one;
- the words of another vocabulary listed in OTHER_VOCABULARIES below, each with whose word
  it is. An entry that no longer matches anything fails too, so the list stays short.

The tests themselves may name states: they drive a known workflow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jinja2

from approvals.config import REPO_ROOT
from approvals.workflow.spec import TAGS, parse

WORKFLOW_PACKAGE = REPO_ROOT / "approvals" / "workflow"
# The calls whose string arguments are tags, not states.
TAG_QUERIES = {"in_states_tagged", "is_tagged", "states_tagged", "has_tag"}

# (files, words, whose words they are): words of other vocabularies that happen to be
# spelled like a state or trigger of a workflow file.
OTHER_VOCABULARIES = (
    (
        ("approvals/notices/facts.py",),
        {"lapse", "write_off", "transfer"},
        "notice kinds (notices.kind), which a workflow's transitions name in `notice =`",
    ),
    (
        ("approvals/notices/addressing.py", "approvals/notices/issue.py"),
        {"lapse"},
        "notice kinds (notices.kind), which a workflow's transitions name in `notice =`",
    ),
    (
        ("approvals/notices/render.py",),
        {"approved"},
        "the approved amount, a variable of the notice templates",
    ),
)


def workflow_names() -> set[str]:
    names: set[str] = set()
    for path in sorted((REPO_ROOT / "workflows").glob("*/v*.toml")):
        spec = parse(path)
        names |= set(spec.states) | set(spec.triggers)
    return names


def _python_strings(path: Path):
    """(line, value, is_tag) of every string constant: is_tag when passed to a tag query."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    tags = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in TAG_QUERIES:
                args = node.args[1:] if name == "has_tag" else node.args  # has_tag(state, tag)
                tags |= {id(a) for a in args if isinstance(a, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value, id(node) in tags


def _template_strings(path: Path):
    """(line, value, is_tag) of every string inside a Jinja tag: is_tag as for Python."""
    query_depths: list[int] = []  # the paren depths at which a tag query's arguments sit
    depth, previous = 0, None
    for line, kind, value in jinja2.Environment().lex(path.read_text(encoding="utf-8")):
        if kind == "whitespace":
            continue
        if kind == "operator" and value == "(":
            depth += 1
            if previous is not None and previous[0] == "name" and previous[1] in TAG_QUERIES:
                query_depths.append(depth)
        elif kind == "operator" and value == ")":
            if query_depths and query_depths[-1] == depth:
                query_depths.pop()
            depth -= 1
        elif kind == "string":
            yield line, value[1:-1], bool(query_depths and query_depths[-1] == depth)
        previous = (kind, value)


def _sources():
    for path in sorted((REPO_ROOT / "approvals").rglob("*.py")):
        if not path.is_relative_to(WORKFLOW_PACKAGE):
            yield path, _python_strings(path)
    for path in sorted((REPO_ROOT / "templates").rglob("*.html")):
        yield path, _template_strings(path)


def _allowed(relative: str, word: str) -> int | None:
    """The index of the OTHER_VOCABULARIES entry that lets `relative` use `word`."""
    for i, (files, words, _why) in enumerate(OTHER_VOCABULARIES):
        if relative in files and word in words:
            return i
    return None


def test_no_state_or_trigger_is_named_outside_the_workflow_package():
    names = workflow_names()
    found, used = [], set()
    for path, strings in _sources():
        relative = path.relative_to(REPO_ROOT).as_posix()
        for line, value, is_tag in strings:
            if is_tag and value not in TAGS:
                found.append(f"{relative}:{line}: {value!r} is not a tag (spec.TAGS)")
            if is_tag or value not in names:
                continue
            entry = _allowed(relative, value)
            if entry is None:
                found.append(f"{relative}:{line}: {value!r}")
            else:
                used.add((entry, relative, value))
    assert not found, (
        "workflow states or triggers named outside approvals/workflow/ (ask the spec: a tag "
        "on the state, an effect on the move):\n" + "\n".join(found)
    )
    stale = [
        f"{relative}: {word!r} ({why})"
        for i, (files, words, why) in enumerate(OTHER_VOCABULARIES)
        for relative in files
        for word in words
        if (i, relative, word) not in used
    ]
    assert not stale, "OTHER_VOCABULARIES lists words no longer used:\n" + "\n".join(stale)


def test_the_scan_sees_a_quoted_state_and_not_a_tag_or_an_html_attribute(tmp_path):
    """The rule itself: what it catches and what it lets through."""
    python = tmp_path / "example.py"
    python.write_text(
        'READY = "disbursed"\n'
        'where = in_states_tagged("approved")\n'
        '"""Claims move from disbursed to in_recovery."""\n',
        encoding="utf-8",
    )
    template = tmp_path / "example.html"
    template.write_text(
        '<button type="submit">{{ "write_off" }}</button>\n'
        '{% if is_tagged(claim, "recovered") %}{{ label("x") }}{% endif %}\n',
        encoding="utf-8",
    )
    names = workflow_names()
    assert [(n, v, t) for n, v, t in _python_strings(python) if v in names] == [
        (1, "disbursed", False),
        (2, "approved", True),
    ]
    assert [(n, v, t) for n, v, t in _template_strings(template) if v in names] == [
        (1, "write_off", False),
        (2, "recovered", True),
    ]
