"""The Jinja2 environment Hipapp's pages are drawn with (TEMPLATES in settings).

Pages are Jinja2 templates under `jinja2/`, rendered by Django's own Jinja2 backend: the same
markup Django's template language drew, in about a fifth of the time, which is most of what a
page costs when it is built cold (after the person's own write). Django's template language
stays for the admin and for crispy's form layouts, which `crispy` and `as_crispy_field` below
call.

What the templates find besides their context:
- `url(name, *args, **kwargs)` and `static(path)`, as Django's `{% url %}` and `{% static %}`
  (both remember the addresses they made: hipapp.addresses);
- `crispy(form)`, and the filters `crispy` and `as_crispy_field`: crispy's tag and filters;
- `pain_scale()`: the 0-10 values of the one-tap pain buttons;
- Django's own filters of the same names (`date`, `pluralize`, `capfirst`, `yesno`, `default`,
  `add`, `slugify`, `truncatechars`), so that a filter means what it means in Django.

A missing variable is empty, as in Django's template language, and never an error.
"""

import datetime
import functools

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from crispy_forms.utils import render_crispy_form
from django.template import defaultfilters
from django.utils import dateformat, dates
from django.utils.timezone import template_localtime

from jinja2 import ChainableUndefined, Environment, pass_context

from .addresses import static, url


def date(value, arg=None):
    """Django's date filter, on the time in the current time zone as Django's templates give it.

    A calendar day (a `datetime.date`, no time) in a format of day, weekday, month and year
    letters only ("D, M j", "F j, Y") is written here, as Django writes it in English (the
    site's only language: USE_I18N is off), without Django's formatter: a page prints a dozen,
    at about 20 µs each there. Anything else goes to Django's filter."""
    if type(value) is datetime.date and arg:
        parts = _day_format(arg)
        if parts is not None:
            return "".join(part(value) if callable(part) else part for part in parts)
    return defaultfilters.date(template_localtime(value), arg)


# Django's date format letters for a calendar day, in English (django.utils.dateformat).
_DAY_LETTERS = {
    "D": lambda day: str(dates.WEEKDAYS_ABBR[day.weekday()]),
    "l": lambda day: str(dates.WEEKDAYS[day.weekday()]),
    "j": lambda day: str(day.day),
    "d": lambda day: f"{day.day:02}",
    "M": lambda day: str(dates.MONTHS_3[day.month]).title(),
    "F": lambda day: str(dates.MONTHS[day.month]),
    "n": lambda day: str(day.month),
    "m": lambda day: f"{day.month:02}",
    "Y": lambda day: f"{day.year:04}",
}


@functools.lru_cache(maxsize=64)
def _day_format(arg: str):
    """The format as literal text and letters to fill in, or None when it has a letter not in
    _DAY_LETTERS (or an escape): those go to Django."""
    parts = []
    for char in arg:
        if char in _DAY_LETTERS:
            parts.append(_DAY_LETTERS[char])
        elif char == "\\" or dateformat.re_formatchars.match(char):
            return None
        else:
            parts.append(char)
    return tuple(parts)


@pass_context
def crispy(context, form):
    """A form drawn by its crispy helper, `<form>` and CSRF field included: crispy's tag."""
    return render_crispy_form(form, context={"csrf_token": context.get("csrf_token")})


def pain_scale():
    from progress.forms import PAIN_SCALE

    return PAIN_SCALE


def environment(**options):
    options.setdefault("undefined", ChainableUndefined)
    env = Environment(**options)
    env.globals.update(url=url, static=static, crispy=crispy, pain_scale=pain_scale)
    env.filters.update(
        add=defaultfilters.add,
        as_crispy_field=as_crispy_field,
        capfirst=defaultfilters.capfirst,
        crispy=as_crispy_form,
        date=date,
        default=defaultfilters.default,
        pluralize=defaultfilters.pluralize,
        slugify=defaultfilters.slugify,
        truncatechars=defaultfilters.truncatechars,
        yesno=defaultfilters.yesno,
    )
    env.finalize = _refuse_methods
    return env


def _refuse_methods(value):
    """A method printed without calling it (Django's templates call it for you, Jinja2 does
    not) is a mistake in the template, not text for the page: the tests find it."""
    if callable(value) and not hasattr(value, "__html__"):
        raise TypeError(f"a template prints {value!r} without calling it")
    return value
