"""Small template helpers for the reading site."""

from django import template

from .. import export

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL's query string with `page` set to `number` (other parameters kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def is_web_url(value):
    """True for http(s) addresses, the only sources worth linking (never javascript: etc.)."""
    return export.is_web_url(value)


@register.simple_tag
def elided_pages(page_obj):
    """Page numbers around the current one, with `None` where pages are left out."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    ]
