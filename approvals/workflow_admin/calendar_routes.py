"""The administrator's working-day calendar (工作日历): for a year, whether its schedule is
official, confirmed by the administrator or provisional; the city's own days (a holiday or a
make-up working day), entered and removed; and the confirmation of a year the official
calendar does not know yet, once its schedule is entered (approvals/workflow/calendar.py)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from approvals.access.pages import roles_required
from approvals.clock import local_today
from approvals.errors import DomainError
from approvals.workflow import calendar
from approvals.workflow_admin import bp


class DayForm(FlaskForm):
    day = StringField(
        _l("日期"), validators=[DataRequired(_l("请选择日期"))], render_kw={"type": "date"}
    )
    status = SelectField(
        _l("类型"),
        choices=[
            SelectChoice("holiday", _l("放假")),
            SelectChoice("workday", _l("上班（调休）")),
            SelectChoice("clear", _l("删除该日")),
        ],
    )
    note = StringField(_l("说明"), validators=[Length(max=calendar.NOTE_MAX)])


class YearForm(FlaskForm):
    note = StringField(_l("说明"), validators=[Length(max=calendar.NOTE_MAX)])


def _year() -> int:
    raw = request.values.get("year", "")
    if raw.isascii() and raw.isdigit() and 1900 < int(raw) < 2100:
        return int(raw)
    return local_today().year + 1 if local_today().month >= 11 else local_today().year


@bp.route("/admin/calendar", methods=["GET", "POST"])
@roles_required("admin")
def calendar_page():
    year = _year()
    day_form, year_form = DayForm(prefix="day"), YearForm(prefix="year")
    action = request.form.get("action")
    if request.method == "POST":
        try:
            if action == "day" and day_form.validate_on_submit():
                day = _day(day_form.day.data)
                workday = {"holiday": False, "workday": True, "clear": None}[day_form.status.data]
                calendar.set_calendar_day(day, workday, day_form.note.data)
                flash(_("已保存 %(day)s", day=day.isoformat()), "success")
                return redirect(url_for("workflow_admin.calendar_page", year=day.year))
            if action in ("confirm", "unconfirm") and year_form.validate_on_submit():
                calendar.confirm_year(year, current_user, action == "confirm", year_form.note.data)
                done = _("已确认 %(year)s 年的放假安排", year=year)
                if action == "unconfirm":
                    done = _("已撤回 %(year)s 年的确认", year=year)
                flash(done, "success")
                return redirect(url_for("workflow_admin.calendar_page", year=year))
        except DomainError as exc:
            flash(_(exc.message), "error")
        status = 422
    else:
        status = 200
    years = sorted(calendar.official_years())
    return render_template(
        "admin/calendar.html",
        year=year,
        status=calendar.year_status(year),
        official=(years[0], years[-1]),
        days=calendar.calendar_days(year),
        day_form=day_form,
        year_form=year_form,
    ), status


def _day(text: str) -> date:
    from approvals.errors import Invalid

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(_("日期格式应为 YYYY-MM-DD"), fields={"day": _("日期格式错误")}) from None
