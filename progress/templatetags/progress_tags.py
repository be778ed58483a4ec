from django import template

from progress.forms import PAIN_SCALE

register = template.Library()


@register.simple_tag
def pain_scale():
    """The pain values a person chooses from, 0 to 10, for rows of one-tap buttons."""
    return PAIN_SCALE
