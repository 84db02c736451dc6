"""The play page's forms: each turns its fields into one line of the engine's vocabulary."""

from __future__ import annotations

import re
import shlex
import uuid
from typing import Any

from django import forms
from django.utils.html import format_html

from portal.sandbox.engine.scenario import Scenario

ROLE_CHOICES = [
    ("ic", "Incident commander"),
    ("scribe", "Scribe"),
    ("sme", "Subject-matter expert"),
    ("comms", "Communications lead"),
]
WAIT_CHOICES = [("1", "1 minute"), ("5", "5 minutes"), ("15", "15 minutes")]
BOX_CHOICES = [("5", "5 minutes"), ("10", "10 minutes"), ("15", "15 minutes"),
               ("20", "20 minutes"), ("30", "30 minutes")]  # fmt: skip
AUDIENCE_CHOICES = [
    ("customer", "Customers (status page)"),
    ("internal", "Internal (bridge)"),
]
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class IndexInput(forms.HiddenInput):
    """The hidden `index` input, followed by a hidden `token` input that is new each time
    the form is rendered: a retried or double-clicked post carries the same token, so the
    run stores its action once."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None):
        token = uuid.uuid4().hex
        extra = format_html('<input type="hidden" name="token" value="{}">', token)
        return super().render(name, value, attrs, renderer) + extra


class ActionForm(forms.Form):
    """A form for one kind of action; `index` is how many actions the page showed and
    `token` identifies one rendering of the form (see IndexInput)."""

    kind = ""
    index = forms.IntegerField(min_value=0, required=False, widget=IndexInput)
    token = forms.CharField(
        max_length=64, required=False, widget=forms.HiddenInput, strip=True
    )

    def __init__(self, *args: Any, scenario: Scenario, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.kind}_%s")
        super().__init__(*args, **kwargs)
        self.scenario = scenario

    def text(self) -> str:
        return self.kind

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class CommandForm(ActionForm):
    kind = "command"
    command = forms.CharField(label="kubectl command", max_length=500, strip=True)

    def text(self) -> str:
        return self.cleaned_data["command"]


class AckForm(ActionForm):
    kind = "ack"


class EscalateForm(ActionForm):
    kind = "escalate"


class DeclareForm(ActionForm):
    kind = "declare"


class MitigatedForm(ActionForm):
    kind = "mitigated"


class ResolveForm(ActionForm):
    kind = "resolve"


def _people(scenario: Scenario, others: bool) -> list[tuple[str, str]]:
    return [
        (p.id, f"{p.name}, {p.title}")
        for p in scenario.people
        if not (others and p.id == scenario.you)
    ]


class PageForm(ActionForm):
    kind = "page"
    person = forms.ChoiceField(label="Who to page")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("person", _people(self.scenario, others=True))

    def text(self) -> str:
        return f"page {self.cleaned_data['person']}"


class SeverityForm(ActionForm):
    kind = "severity"
    severity = forms.ChoiceField(label="Severity", widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices(
            "severity", [(s.level, s.level) for s in self.scenario.severities.levels]
        )

    def text(self) -> str:
        return f"severity {self.cleaned_data['severity']}"


class AssignForm(ActionForm):
    kind = "assign"
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    person = forms.ChoiceField(label="Person")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("person", _people(self.scenario, others=False))

    def text(self) -> str:
        return f"assign {self.cleaned_data['role']} {self.cleaned_data['person']}"


class StatusForm(ActionForm):
    kind = "status"
    audience = forms.ChoiceField(label="Audience", choices=AUDIENCE_CHOICES)
    impact = forms.CharField(label="Impact", max_length=300)
    scope = forms.CharField(label="Scope", max_length=300, required=False)
    current_action = forms.CharField(label="Current action", max_length=300)
    next_update = forms.CharField(
        label="Next update by (HH:MM UTC)", max_length=5, required=False
    )

    def clean_next_update(self) -> str:
        value: str = self.cleaned_data["next_update"].strip()
        if value and not TIME.fullmatch(value):
            raise forms.ValidationError("Give a time such as 02:30.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == "customer" and not data.get("next_update"):
            self.add_error(
                "next_update",
                "Give the time of the next customer update, e.g. 02:30: customers "
                "are promised one.",
            )
        return data

    def text(self) -> str:
        data = self.cleaned_data
        parts = [f"Impact: {data['impact'].rstrip('.')}."]
        if data["scope"]:
            parts.append(f"Scope: {data['scope'].rstrip('.')}.")
        parts.append(f"Current action: {data['current_action'].rstrip('.')}.")
        if data["next_update"]:
            parts.append(f"Next update by {data['next_update']} UTC.")
        return f"status {data['audience']} {shlex.quote(' '.join(parts))}"


class ShiftForm(ActionForm):
    kind = "shift"
    percent = forms.IntegerField(
        label="Share of checkout traffic to the healthy region (%)",
        min_value=0,
        max_value=100,
    )

    def text(self) -> str:
        return f"shift-traffic {self.cleaned_data['percent']}"


class InvestigateForm(ActionForm):
    kind = "investigate"
    person = forms.ChoiceField(label="Subject-matter expert")
    minutes = forms.ChoiceField(label="Time box", choices=BOX_CHOICES, initial="15")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("person", _people(self.scenario, others=True))

    def text(self) -> str:
        return (
            f"investigate {self.cleaned_data['person']} {self.cleaned_data['minutes']}m"
        )


class WaitForm(ActionForm):
    kind = "wait"
    minutes = forms.ChoiceField(label="Wait", choices=WAIT_CHOICES)

    def text(self) -> str:
        return f"wait {self.cleaned_data['minutes']}m"


FORMS: dict[str, type[ActionForm]] = {
    form.kind: form
    for form in (
        CommandForm, AckForm, EscalateForm, PageForm, DeclareForm, SeverityForm,
        AssignForm, StatusForm, ShiftForm, InvestigateForm, WaitForm, MitigatedForm,
        ResolveForm,
    )
}  # fmt: skip


def bound_form(data: Any, scenario: Scenario) -> ActionForm | None:
    """The form for the posted kind of action, bound to the data; None for an unknown kind."""
    form_class = FORMS.get(data.get("kind", ""))
    return form_class(data, scenario=scenario) if form_class else None


def error_text(form: ActionForm) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(
            ": "
        )
        for name, errors in form.errors.items()
        for error in errors
    )
