"""The administrator's guide form: the clause's contact, and for each material a
description and a sample file (one field of each per required kind, named by the kind)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from approvals.guides.materials import CONTACT_MAX


class GuideForm(FlaskForm):
    contact_name = StringField(_l("联系人"), render_kw={"maxlength": CONTACT_MAX})
    contact_phone = StringField(
        _l("联系电话"), render_kw={"maxlength": CONTACT_MAX, "inputmode": "tel"}
    )


def posted_values(form: GuideForm, kinds: list[str], posted, files) -> dict:
    """The guide as posted, plain values for materials.save()."""
    samples = {}
    for kind in kinds:
        upload = files.get(f"sample_{kind}")
        if upload is not None and upload.filename:
            samples[kind] = (upload.read(), upload.filename)
    return {
        "contact_name": form.contact_name.data,
        "contact_phone": form.contact_phone.data,
        "descriptions": {kind: posted.get(f"description_{kind}", "") for kind in kinds},
        "samples": samples,
        "remove_samples": {kind for kind in kinds if posted.get(f"remove_{kind}")},
    }
