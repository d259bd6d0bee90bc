"""Form widgets shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> written out in Python. The default widget renders one template per option,
    which for the long language lists costs more than the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))

        def options(choices):
            for option_value, label in choices:
                if isinstance(label, (list, tuple)):  # a group of options
                    yield format_html(
                        '<optgroup label="{}">{}</optgroup>', option_value, join(label)
                    )
                    continue
                option_value = "" if option_value is None else str(option_value)
                is_selected = option_value in selected
                if is_selected:  # a single choice: only the first match is marked
                    selected.clear()
                yield format_html(
                    '<option value="{}"{}>{}</option>',
                    option_value,
                    mark_safe(" selected") if is_selected else "",
                    label,
                )

        def join(choices):
            return format_html_join("", "{}", ((option,) for option in options(choices)))

        attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(attrs), join(self.choices)
        )
