"""The practitioner's choice of which work-arrived notices reach them by e-mail."""

from __future__ import annotations

from django import forms

from safeshare.web.forms.base import GovukForm, choice_messages
from safeshare.workday.models import ALWAYS_EMAILED, NoticeKind

# The kinds a practitioner may switch off; the others are always e-mailed and are listed apart.
SWITCHABLE = [(kind.value, kind.label) for kind in NoticeKind if kind not in ALWAYS_EMAILED]


class EmailPreferencesForm(GovukForm):
    emailed = forms.MultipleChoiceField(
        label="Which of these do you also want by e-mail?",
        help_text=(
            "You always see them in Your work. The e-mail says only that something is waiting "
            "and links to it: it never names a child."
        ),
        choices=SWITCHABLE,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages=choice_messages("Select only the kinds of notice listed"),
    )
