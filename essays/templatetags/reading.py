"""Small template helpers for the reading site."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .. import export
from ..conversion import SCRIPT_OF_ORIGINAL
from ..ingest.script import detect_script
from ..middleware import ORIGINAL_CLOSE, ORIGINAL_OPEN

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, after=""):
    """The current URL's query string with `page` set to `number` (other parameters kept),
    and the place to seek from (essays.paging) when the link is to the next page."""
    query = context["request"].GET.copy()
    query["page"] = number
    query.pop("after", None)
    if after:
        query["after"] = after
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


# Text shown as its author wrote it when the reader's script is the text's own ---------------
# The script middleware converts whole pages; these marks tell it which parts are stored text
# in a known script (essays.middleware.convert_html), and are removed before the page leaves.


def _marked(html: str, script: str | None) -> str:
    target = SCRIPT_OF_ORIGINAL.get(script or "")
    if target is None:  # mixed or unknown: converted with the page
        return html
    return f"{ORIGINAL_OPEN.format(target)}{html}{ORIGINAL_CLOSE}"


@register.filter(needs_autoescape=True)
def written_in(value, script=None, autoescape=True):
    """`value` marked as written in `script` (a stored Script value); without one (or where
    a view did not load it) its characters decide. `{{ essay.title|written_in:essay.script }}`"""
    text = "" if value is None else str(value)
    html = conditional_escape(value if value is not None else "") if autoescape else text
    if not script:
        script = detect_script(text)
    return mark_safe(_marked(str(html), script))


class WrittenInNode(template.Node):
    def __init__(self, script, nodelist):
        self.script = script
        self.nodelist = nodelist

    def render(self, context):
        return _marked(self.nodelist.render(context), self.script.resolve(context))


@register.tag
def written_in_block(parser, token):
    """`{% written_in_block essay.script %}…{% endwritten_in_block %}`: a stretch of stored
    text (rendered markup included) in that script."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("written_in_block 需要一个参数：原文字体")
    nodelist = parser.parse(("endwritten_in_block",))
    parser.delete_first_token()
    return WrittenInNode(parser.compile_filter(bits[1]), nodelist)
