"""Form widgets drawn in Python: Django's own markup, without its template engine.

Django draws every widget through templates ("django/forms/widgets/input.html" and an include
for its attributes, one more per option of a select). On the log page that is some fifty
widgets, and the templates took 40% of the page's time. This renderer writes the common
widgets out directly, character for character what Django's templates give (tests/test_project
checks them against each other), and leaves every other template to Django.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape as escape

WIDGETS = "django/forms/widgets/"
INPUT_KINDS = "input checkbox date datetime email hidden number password search tel text time url"
INPUTS = {f"{WIDGETS}{kind}.html" for kind in INPUT_KINDS.split()}


def attributes(attrs: dict) -> str:
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def text(value) -> str:
    """A value printed by a template: localized, then escaped."""
    return escape(localize(value))


def draw_input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value}{attributes(widget['attrs'])}>"
    )


def draw_select(widget: dict) -> str | None:
    parts = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group, options, _ in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{text(group)}">')
        for option in options:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                return None
            parts.append(
                f'\n  <option value="{escape(option["value"])}"{attributes(option["attrs"])}>'
                f"{text(option['label'])}</option>\n"  # Django's include keeps the file's newline
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def draw_textarea(widget: dict) -> str:
    value = text(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


class WidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        html = None
        if template_name in INPUTS:
            html = draw_input(context["widget"])
        elif template_name == f"{WIDGETS}select.html":
            html = draw_select(context["widget"])
        elif template_name == f"{WIDGETS}textarea.html":
            html = draw_textarea(context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return html
