"""`{{ value|zh }}`: a pipeline key, warning or refusal as people read it (essays.labels)."""

from django import template

from ..labels import say

register = template.Library()


@register.filter
def zh(value):
    # Returns plain text: autoescaping applies as to any other value.
    return say(value)
