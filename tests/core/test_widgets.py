"""QuickSelect writes out the same <select> as Django's own widget."""

from django import forms
from django.test.html import parse_html

from collective_brain.widgets import QuickSelect

CHOICES = [("", "Any"), ("fr", "Français"), ("x<y", 'Odd "label" & <b>text</b>')]
GROUPED = [("Europe", [("fr", "French"), ("it", "Italian")]), ("Africa", [("sw", "Swahili")])]


def _same(choices, value, attrs=None):
    ours = QuickSelect(choices=choices).render("field", value, attrs)
    django = forms.Select(choices=choices).render("field", value, attrs)
    assert parse_html(ours) == parse_html(django)
    return ours


def test_the_same_options_selection_and_escaping_as_django():
    html = _same(CHOICES, "x<y", {"id": "id_field", "aria-invalid": "true"})
    assert "<b>" not in html and "&lt;b&gt;" in html
    _same(CHOICES, "")
    _same(CHOICES, None)
    _same(GROUPED, "it")


def test_a_bound_form_field_renders_the_submitted_choice_selected():
    class Form(forms.Form):
        language = forms.ChoiceField(choices=CHOICES, widget=QuickSelect)

    html = str(Form({"language": "fr"})["language"])
    assert parse_html('<option value="fr" selected>Français</option>') in parse_html(html)
