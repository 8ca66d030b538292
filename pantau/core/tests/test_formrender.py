"""The Python widget renderer gives the same bytes as Django's widget templates, for every widget kind it
takes over, with hostile and localised values (``pantau.core.formrender``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.core.formrender import INPUTS, TOP, FormRenderer

HOSTILE = ['plain', '<script>alert("x")</script>', "a & b", "it's \"quoted\"", "", " spaced ", "Ä ö 漢字"]
CHOICES = [("a", "Satu <b>"), ("2", 'Dua "kutip"'), (3, "Tiga & empat"), ("", "— pilih —")]
GROUPED = [("Kelompok <1>", [("x", "X"), ("y", "Y")]), ("z", "Z tanpa kelompok")]


class Everything(forms.Form):
    text = forms.CharField(max_length=10, help_text="bantuan", widget=forms.TextInput(attrs={"class": "wide"}))
    optional = forms.CharField(required=False)
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(required=False)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    when = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autofocus": True,
                                                           "disabled": False}), required=False)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    flag = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    boxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    grouped_boxes = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple,
                                              required=False)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)
    lazy = forms.ChoiceField(choices=[("l", gettext_lazy("Kesalahan")), ("s", mark_safe("<i>aman</i>"))],
                             widget=forms.RadioSelect(attrs={"class": "inline"}), required=False)


def both(form: forms.Form) -> list[tuple[str, str, str]]:
    fast, slow = FormRenderer(), DjangoTemplates()
    out = []
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({})
        if bound.auto_id:
            attrs.setdefault("id", bound.auto_id)
        value = bound.value()
        out.append((bound.name, widget.render(bound.html_name, value, attrs, renderer=fast),
                    widget.render(bound.html_name, value, attrs, renderer=slow)))
    return out


def assert_same(form: forms.Form) -> None:
    for name, fast, slow in both(form):
        assert fast == slow, f"{name}:\n{fast!r}\n!=\n{slow!r}"


def test_every_widget_it_takes_over_renders_what_djangos_template_renders_when_empty() -> None:
    assert_same(Everything())
    assert_same(Everything(auto_id=False))


@pytest.mark.parametrize("text", HOSTILE)
def test_bound_values_are_escaped_exactly_like_the_templates(text: str) -> None:
    data = {"text": text, "optional": text, "number": "12", "decimal": "1.5", "email": text, "url": text,
            "password": text, "hidden": text, "date": "2026-12-05", "when": "2026-12-05 10:00", "time": "10:00",
            "search": text, "area": text, "flag": "on", "choice": "2", "grouped": "y", "many": ["a", "3"],
            "boxes": ["a", ""], "grouped_boxes": ["x", "z"], "radio": "3", "lazy": "s"}
    form = Everything(data)
    form.is_valid()
    assert_same(form)


def test_initial_values_of_other_types_are_formatted_like_the_templates() -> None:
    form = Everything(initial={"text": 5, "number": 1234567, "date": dt.date(2026, 1, 2), "area": 0,
                               "when": dt.datetime(2026, 1, 2, 3, 4), "flag": True, "many": [3],
                               "choice": 3, "hidden": ("a", "b")})
    assert_same(form)
    with override("en"):
        assert_same(form)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20), st.lists(st.tuples(st.text(max_size=6), st.text(max_size=12)), max_size=4))
def test_any_text_and_choices_render_the_same(text: str, choices: list[tuple[str, str]]) -> None:
    class Random(forms.Form):
        one = forms.ChoiceField(choices=choices, required=False)
        boxes = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, required=False)
        area = forms.CharField(widget=forms.Textarea, required=False)
        line = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": text}))

    picked = [c[0] for c in choices[:2]]
    assert_same(Random({"one": picked[0] if picked else "", "boxes": picked, "area": text, "line": text}))


def test_it_covers_the_widget_kinds_it_claims_and_leaves_others_to_django() -> None:
    kinds = {type(f.widget).template_name for f in Everything.base_fields.values()}
    assert kinds <= set(TOP), kinds - set(TOP)
    assert "django/forms/widgets/input.html" in INPUTS
    # A widget kind it does not know (a file input with its clear box) still renders through the template.
    widget = forms.ClearableFileInput()
    assert widget.render("f", None, renderer=FormRenderer()) == widget.render("f", None, renderer=DjangoTemplates())


def test_the_site_renders_forms_with_it(settings: Any) -> None:
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "pantau.core.formrender.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
