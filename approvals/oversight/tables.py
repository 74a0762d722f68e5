"""The oversight figures as the page and its exports show them: one set of rows for both, in
the reader's language, so that a downloaded file says what the page says."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup

from approvals.finance.charts import bar_chart
from approvals.finance.reports import Table
from approvals.i18n import N_, dept_name, label
from approvals.oversight.figures import Line, stages
from approvals.workflow.registry import workflows

FIGURE_HEADERS = (
    N_("部门"),
    N_("申报年度"),
    N_("已受理"),
    N_("部门已办结"),
    N_("已超期"),
    N_("已拨付"),
    N_("申请认定表（2月底前）"),
    N_("首批报送日期"),
    N_("3月底前拨付"),
    N_("逾期拨付"),
    N_("逾期未拨付"),
    N_("督办通知"),
)
# The bars of each department's chart: what came in, what it finished, what is late, what
# reached the enterprise.
CHART_BARS = (
    ("received", N_("已受理")),
    ("decided", N_("部门已办结")),
    ("overdue", N_("已超期")),
    ("paid", N_("已拨付")),
)


def figures(lines: list[Line]) -> Table:
    table = Table("figures", _("各部门办理情况"), [_(h) for h in FIGURE_HEADERS])
    for line in lines:
        sent_on = line.form_sent_on.isoformat() if line.form_sent_on else ""
        table.rows.append(
            [
                dept_name(line.department),
                line.year,
                line.received,
                line.decided,
                line.overdue,
                line.paid,
                _(line.form_label),
                sent_on,
                line.payout_on_time,
                line.payout_late,
                line.payout_overdue,
                line.supervised,
            ]
        )
    return table


def _stage_names() -> dict[str, object]:
    """Each Chinese stage label's bilingual Label, from the workflow files (the medians are
    keyed by the Chinese label, as finance's stage table is)."""
    names: dict[str, object] = {}
    for engine in workflows().values():
        for state in engine.spec.states.values():
            names.setdefault(state.label.zh, state.label)
    return names


def medians(lines: list[Line]) -> Table:
    """Median days per stage (rows: department and year; columns: the stages found)."""
    found = stages(lines)
    names = _stage_names()
    headers = [_("部门"), _("申报年度"), *(label(names[s]) if s in names else s for s in found)]
    table = Table("stages", _("各环节办理天数（中位数）"), headers)
    for line in lines:
        days = [line.medians.get(stage) for stage in found]
        table.rows.append(
            [
                dept_name(line.department),
                line.year,
                *("" if d is None else Decimal(d).quantize(Decimal("0.1")) for d in days),
            ]
        )
    return table


def chart(line: Line) -> Markup:
    name = dept_name(line.department)
    title = _("%(department)s · %(year)s年度", department=name, year=line.year)
    return bar_chart([(_(text), getattr(line, key)) for key, text in CHART_BARS], title)
