"""The administrator's workflow pages: every loaded workflow listed with its claims, each
drawn from its file with the claims in each state, in the reader's language; others refused."""

from __future__ import annotations

import html

import pytest

from approvals.workflow.registry import workflows
from tests.workflow_admin.conftest import diagram, drawn_states, text

OTHERS = ("ent_huadong", "reviewer_jmj", "finance", "gov")


def _specs(app):
    with app.app_context():
        return [engine.spec for engine in workflows().values()]


def test_the_list_shows_every_loaded_version_with_its_claims(seeded, web, make_claim):
    make_claim("draft")
    make_claim("submitted", policy="JMJ-INFRA")
    page = text(web("admin").get("/admin/workflows"))
    for spec in _specs(seeded):
        link = f"/admin/workflows/{spec.name}?version={spec.version}"
        assert link in page
    row = page[page.index('<span class="code">enterprise_claim</span>') :].split("</tr>")[0]
    assert '<td class="num">2</td>' in row


def test_each_state_shows_the_number_of_claims_in_it(seeded, web, make_claim, make_enterprise):
    made = {"draft": 1, "submitted": 2, "returned": 1, "rejected": 3}
    for state, count in made.items():
        for _ in range(count):
            make_claim(state, enterprise=make_enterprise())
    res = web("admin").get("/admin/workflows/enterprise_claim")
    assert res.status_code == 200
    boxes = drawn_states(diagram(res))
    spec = next(s for s in _specs(seeded) if s.name == "enterprise_claim")
    for state in spec.states:
        assert boxes[state][1] == f"{made.get(state, 0)} 件", state
    # The table of states says the same, beside each state's tags, queue and deadline.
    table = text(res).split('<table class="data states">')[1].split("</table>")[0]
    row = table.split('<span class="code">rejected</span>')[1].split("</tr>")[0]
    assert row.rstrip().endswith('<td class="num">3</td>')
    assert all(f'<span class="code">{tag}</span>' in row for tag in spec.states["rejected"].tags)


def test_the_diagram_draws_every_state_and_move_the_files_declare(seeded, web):
    client = web("admin")
    for spec in _specs(seeded):
        res = client.get(f"/admin/workflows/{spec.name}?version={spec.version}")
        svg = diagram(res)
        boxes = drawn_states(svg)
        assert set(boxes) == set(spec.states)
        for state in spec.states.values():
            assert boxes[state.name][0] == state.label.zh
        arrows = {(s, t.dest) for t in spec.transitions for s in t.sources}
        assert svg.count('<g class="move">') == len(arrows)
        for t in spec.transitions:  # the table of moves lists each with its trigger
            assert f'<span class="code">{t.trigger}</span>' in text(res)


def test_a_workflow_added_as_a_file_is_listed_and_drawn(seeded, web, deploy):
    deploy()  # the app restarted with joint_claim and signoff_claim beside enterprise_claim
    client = web("admin")
    assert "/admin/workflows/joint_claim" in text(client.get("/admin/workflows"))
    spec = next(s for s in _specs(seeded) if s.name == "joint_claim")
    boxes = drawn_states(diagram(client.get("/admin/workflows/joint_claim")))
    assert {name: lines[0] for name, lines in boxes.items()} == {
        s.name: s.label.zh for s in spec.states.values()
    }


def test_english_mode_shows_the_files_english_labels(seeded, web, make_claim):
    make_claim("submitted")
    client = web("admin")
    client.get("/lang/en?next=/")
    res = client.get("/admin/workflows/enterprise_claim")
    svg = diagram(res)
    spec = next(s for s in _specs(seeded) if s.name == "enterprise_claim")
    boxes = drawn_states(svg)
    for state in spec.states.values():
        assert boxes[state.name][0] == state.label.en
        if state.label.zh != state.label.en:
            assert state.label.zh not in html.unescape(svg)
    first = spec.transitions[0]
    assert first.label.en in html.unescape(svg)


@pytest.mark.parametrize("username", OTHERS)
def test_only_administrators_may_open_the_workflow_pages(seeded, web, username):
    client = web(username)
    assert client.get("/admin/workflows").status_code == 403
    assert client.get("/admin/workflows/enterprise_claim").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(seeded, web):
    res = web(None).get("/admin/workflows/enterprise_claim")
    assert res.status_code == 302 and "/signin" in res.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/workflows/nothing",
        "/admin/workflows/enterprise_claim?version=99",
        "/admin/workflows/enterprise_claim?version=v1",
    ],
)
def test_a_workflow_or_version_not_loaded_is_not_found(seeded, web, path):
    assert web("admin").get(path).status_code == 404


def test_the_admin_navigation_links_to_the_workflows(seeded, web):
    assert 'href="/admin/workflows"' in text(web("admin").get("/overview"))
    assert 'href="/admin/workflows"' not in text(web("reviewer_jmj").get("/policies"))
