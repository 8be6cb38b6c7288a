"""Template filters for rendering Django forms and data as GOV.UK Frontend components.

Used by the partials in ``safeshare/web/templates/components/``. Load with
``{% load govuk %}``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms.utils import flatatt
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import SafeString

register = template.Library()

BLANK_LABEL = "---------"

# Widget attributes the partials render themselves (or deliberately omit:
# GOV.UK Frontend recommends against maxlength/minlength and HTML5 `required`,
# and the form sets `novalidate`).
_MANAGED_ATTRS = frozenset(
    {
        "aria-describedby",
        "checked",
        "class",
        "cols",
        "disabled",
        "id",
        "maxlength",
        "minlength",
        "multiple",
        "name",
        "required",
        "rows",
        "selected",
        "type",
        "value",
    }
)


def _widget(field: forms.BoundField) -> forms.Widget:
    widget: forms.Widget = field.field.widget
    return widget


@register.filter
def widget_type(field: forms.BoundField) -> str:
    """Name the GOV.UK component that should render ``field``.

    One of: hidden, checkbox, checkboxes, radios, select, textarea, date,
    password, email, text.
    """
    widget = _widget(field)
    # Order matters: CheckboxSelectMultiple subclasses RadioSelect and
    # DateInput/EmailInput/PasswordInput subclass Input.
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.DateInput):
        return "date"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.EmailInput):
        return "email"
    return "text"


@register.filter
def input_type(field: forms.BoundField) -> str:
    """The ``type`` attribute for a single-line input."""
    kind = widget_type(field)
    if kind in {"date", "password", "email"}:
        return kind
    return getattr(_widget(field), "input_type", None) or "text"


@register.filter
def input_value(field: forms.BoundField) -> str:
    """The value to put back into a text-like input or textarea.

    Bound forms re-display what the user typed; unbound forms show initial
    values formatted by the widget. Dates are always ISO 8601 because
    ``<input type="date">`` only accepts that, whatever the locale.
    """
    widget = _widget(field)
    if isinstance(widget, forms.PasswordInput) and not widget.render_value:
        return ""
    value = field.value()
    if value is None or isinstance(widget, forms.MultiWidget):
        return ""  # a multi-widget has no single value: see ``hidden_inputs``
    if isinstance(widget, forms.DateInput) and isinstance(value, datetime.date):
        if isinstance(value, datetime.datetime):
            value = value.date()
        return value.isoformat()
    formatted = widget.format_value(value)
    if isinstance(formatted, list | tuple):
        # Choice widgets format their value as a list of selected values: a single input holds
        # the first (multi-valued fields need ``hidden_inputs``, one input per value).
        return str(formatted[0]) if formatted else ""
    return "" if formatted is None else str(formatted)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _multiple(widget: forms.Widget) -> bool:
    return bool(getattr(widget, "allow_multiple_selected", False)) or isinstance(
        widget, forms.MultipleHiddenInput
    )


@register.filter
def hidden_inputs(field: forms.BoundField) -> list[dict[str, str]]:
    """The hidden inputs that carry ``field``'s answer to the next page (a "check your answers"
    page posting the answers back), exactly as the form will read them again.

    Each item is ``{"name": ..., "value": ...}``: one per selected value of a multi-valued field
    (checkboxes, multiple select), none for an unticked checkbox, one per box of a multi-widget
    (a GOV.UK date input's day, month and year), else one. Never a Python list's repr.
    """
    widget = _widget(field)
    name = field.html_name
    if isinstance(widget, forms.MultiWidget):
        value = field.value()
        parts = value if isinstance(value, list | tuple) else widget.decompress(value) or []
        suffixes: list[str] = getattr(widget, "widgets_names", [])
        return [
            {"name": f"{name}{suffix}", "value": _as_text(part)}
            for suffix, part in zip(suffixes, parts, strict=False)
        ]
    if isinstance(widget, forms.CheckboxInput):
        return [{"name": name, "value": "on"}] if is_checked(field) else []
    if _multiple(widget):
        values = field.value() or []
        if isinstance(values, str):
            values = [values]
        return [{"name": name, "value": _as_text(value)} for value in values]
    if isinstance(widget, ChoiceWidget):
        value = field.value()
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        return [{"name": name, "value": _as_text(value)}]
    return [{"name": name, "value": input_value(field)}]


@register.filter
def is_checked(field: forms.BoundField) -> bool:
    """Whether a single boolean checkbox should be rendered checked."""
    widget = _widget(field)
    if isinstance(widget, forms.CheckboxInput):
        return bool(widget.check_test(field.value()))
    return bool(field.value())


@register.filter
def choice_options(field: forms.BoundField) -> list[dict[str, Any]]:
    """Options for radios, checkboxes and selects, with selection state.

    Each item is a dict: ``value``, ``label``, ``selected``, ``id``, and for
    radios and checkboxes ``hint`` (the option's hint), ``reveal`` (bound
    fields of the same form shown in a conditional reveal under the option),
    ``exclusive`` (a "none of these" checkbox) and ``divider`` (an "or" before
    the option). Those come from attributes the form may set on the field:
    ``option_hints`` ({value: hint}), ``reveals`` ({value: [field names]}) and
    ``exclusive`` (a value). Uses the widget's own option logic so bound
    (re-rendered) forms keep the user's choices and unbound forms show
    initial values.
    """
    skip_blank = widget_type(field) in {"radios", "checkboxes"}
    hints: Mapping[str, str] = getattr(field.field, "option_hints", None) or {}
    reveals: Mapping[str, Iterable[str]] = getattr(field.field, "reveals", None) or {}
    exclusive = getattr(field.field, "exclusive", None)
    options: list[dict[str, Any]] = []
    for sub in field.subwidgets:
        data = sub.data
        value = data.get("value")
        if skip_blank and value in (None, "") and data.get("label") == BLANK_LABEL:
            # A "---------" placeholder makes no sense as a radio/checkbox.
            continue
        shown = "" if value is None else str(value)
        options.append(
            {
                "value": shown,
                "label": data.get("label", ""),
                "selected": bool(data.get("selected")),
                "id": sub.id_for_label,
                "hint": hints.get(shown, ""),
                "reveal": [field.form[name] for name in reveals.get(shown, ())],
                "exclusive": exclusive is not None and shown == exclusive,
                "divider": exclusive is not None and shown == exclusive and len(options) > 0,
            }
        )
    return options


@register.filter
def error_anchor(field: forms.BoundField) -> str:
    """The id the error summary should link to for ``field``.

    GOV.UK links to the first radio/checkbox of a group rather than the
    group itself; hidden inputs cannot take focus so they link to the page.
    """
    kind = widget_type(field)
    if kind == "hidden":
        return "main-content"
    if kind in {"radios", "checkboxes"}:
        options = choice_options(field)
        if options and options[0]["id"]:
            return str(options[0]["id"])
    return field.id_for_label or field.auto_id or "main-content"


@register.filter
def first_field_anchor(form: forms.BaseForm) -> str:
    """Where non-field errors link to: the first visible field, else the page."""
    visible = form.visible_fields()
    return error_anchor(visible[0]) if visible else "main-content"


@register.filter
def describedby(field: forms.BoundField) -> str:
    """Space-separated ids for ``aria-describedby``: hint, error, and any set on the widget."""
    ids = []
    existing = _widget(field).attrs.get("aria-describedby")
    if existing:
        ids.append(str(existing))
    if field.auto_id:
        if field.help_text:
            ids.append(f"{field.auto_id}-hint")
        if field.errors:
            ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def extra_attrs(field: forms.BoundField) -> SafeString:
    """Other widget attributes (autocomplete, spellcheck, inputmode...), escaped.

    Returns a string starting with a space, or an empty string.
    """
    attrs = {k: v for k, v in _widget(field).attrs.items() if k not in _MANAGED_ATTRS}
    if isinstance(_widget(field), forms.EmailInput):
        attrs.setdefault("spellcheck", "false")
        attrs.setdefault("autocomplete", "email")
    elif isinstance(_widget(field), forms.PasswordInput):
        attrs.setdefault("spellcheck", "false")
        attrs.setdefault("autocomplete", "current-password")
        attrs.setdefault("autocapitalize", "none")
    return flatatt(attrs)


@register.filter
def summary_rows(rows: Iterable[Any] | None) -> list[dict[str, Any]]:
    """Normalise summary list rows to dicts.

    Accepts ``(key, value)`` pairs, ``(key, value, action_href, action_text)``
    tuples, or mappings with ``key``, ``value`` and optional ``action_href``,
    ``action_text`` (default "Change") and ``action_hidden`` (visually hidden
    text after the action, default: the key in lower case).
    """
    normalised = []
    for row in rows or []:
        if isinstance(row, Mapping):
            item = dict(row)
        else:
            parts = list(row)
            item = {"key": parts[0], "value": parts[1] if len(parts) > 1 else ""}
            if len(parts) > 2:
                item["action_href"] = parts[2]
            if len(parts) > 3:
                item["action_text"] = parts[3]
        item.setdefault("key", "")
        item.setdefault("value", "")
        item.setdefault("action_href", "")
        item.setdefault("action_text", "Change")
        item.setdefault("action_hidden", str(item["key"]).lower())
        normalised.append(item)
    any_actions = any(item["action_href"] for item in normalised)
    for item in normalised:
        item["no_actions"] = any_actions and not item["action_href"]
    return normalised


@register.filter
def page_items(page_obj: Page[Any]) -> list[dict[str, Any]]:
    """Page links for the pagination component: 1 … 4 5 6 … 20.

    Each item is ``{"number": int, "current": bool}`` or ``{"ellipsis": True}``.
    """
    paginator = page_obj.paginator
    items: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1):
        if isinstance(number, int):
            items.append({"number": number, "current": number == page_obj.number})
        else:
            items.append({"ellipsis": True})
    return items


@register.filter
def page_url(number: int, base_query: str | None) -> str:
    """``?<base_query>&page=N``, with any leading ``?``/``&`` and old ``page=`` removed."""
    parts = [
        part
        for part in (base_query or "").lstrip("?&").split("&")
        if part and not part.startswith("page=")
    ]
    parts.append(f"page={int(number)}")
    return "?" + "&".join(parts)


@register.filter
def tag_class(colour: str | None) -> str:
    """Class for a tag colour: "red" -> "govuk-tag--red"; full class names pass through."""
    if not colour:
        return ""
    colour = str(colour)
    if "--" in colour:
        return colour
    return f"govuk-tag--{colour}"
