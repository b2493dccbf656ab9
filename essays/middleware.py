"""Reader preferences and intranet mode.

Script (简/繁) conversion happens here, once per response, on the rendered HTML of the
reading site: titles, bodies, bylines, themes and the template chrome all change together
and nothing in the database is touched. Converting the finished page (rather than each
value through a template filter) means no field can be forgotten, and it costs one OpenCC
call per page (about 10 ms for 200 000 characters).

Stored text already in the reader's script is left exactly as written (a Traditional essay
read in 繁 keeps 了解 and 里; OpenCC would make them 瞭解 and 裡). The reading templates mark
such text with its script (`written_in` in essays.templatetags.reading): comments the
conversion steps around and then removes. Conversion itself is essays.conversion's.

Markup survives the conversion: tags, attribute names and entities are ASCII, which OpenCC
leaves alone. The one risk is a URL containing Chinese — `reverse()` percent-encodes
slugs, but a stored source URL might not be — so URL-bearing attribute values are cut out
and passed through verbatim.
"""

import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_vary_headers

from .conversion import convert_to

SCRIPT_COOKIE = "anthology_script"
SCRIPTS = ("hans", "hant")
DEFAULT_SCRIPT = "hans"

# Only pages of this URL namespace are converted. The admin is never converted: an editor
# must see, and save back, the stored text exactly.
READING_NAMESPACE = "essays"

# Attribute values that hold URLs, kept byte for byte. Django always quotes attributes.
_URL_ATTRIBUTE = re.compile(
    r"""(\s(?:href|src|srcset|action|formaction|cite|poster)\s*=\s*(?:"[^"]*"|'[^']*'))""",
    re.IGNORECASE,
)


# Stored text in a known script: <!--zh:hant-->…<!--/zh-->. Comments, so that a mark left in
# a page by mistake shows nothing; never nested (the tag marks values, not templates).
ORIGINAL_OPEN = "<!--zh:{}-->"
ORIGINAL_CLOSE = "<!--/zh-->"
_ORIGINAL = re.compile(r"<!--zh:(hans|hant)-->(.*?)<!--/zh-->", re.DOTALL)


def script_from_cookie(request) -> str:
    value = request.COOKIES.get(SCRIPT_COOKIE)
    return value if value in SCRIPTS else DEFAULT_SCRIPT


# What conversion reads: runs of non-ASCII characters (Chinese text and punctuation). Tags,
# attribute names, entities, numbers and Latin words are ASCII and never change; a phrase
# never spans them. All of a page's runs go to OpenCC in one call, joined by a private-use
# character that no dictionary holds, so a page costs what its own text costs (converting
# the whole HTML, markup included, cost several times that: bench/page_bench.py --conversion).
_RUN = re.compile(r"[^\x00-\x7f]+")
_JOIN = "\ue000"


def convert_html(html: str, script: str) -> str:
    """`html` in the reader's script ("hans"/"hant"): text marked as written in that script
    and URL attribute values are kept as they are, the marks removed."""
    pieces = []  # (text, convert?)
    position = 0
    for match in _ORIGINAL.finditer(html):
        pieces.append((html[position : match.start()], True))
        written_in, text = match.groups()
        pieces.append((text, written_in != script))
        position = match.end()
    pieces.append((html[position:], True))
    out: list = []  # strings kept, and the indexes of runs to convert
    runs: list[str] = []
    for text, convert in pieces:
        if not convert:
            out.append(text)
            continue
        # split() with one capturing group alternates text, URL attribute, text, …
        for i, part in enumerate(_URL_ATTRIBUTE.split(text)):
            if i % 2:
                out.append(part)
                continue
            last = 0
            for run in _RUN.finditer(part):
                out += [part[last : run.start()], len(runs)]
                runs.append(run.group())
                last = run.end()
            out.append(part[last:])
    converted = convert_to(_JOIN.join(runs), script).split(_JOIN) if runs else []
    if len(converted) != len(runs):  # never expected: a run converted alone is always right
        converted = [convert_to(run, script) for run in runs]
    return "".join(converted[x] if isinstance(x, int) else x for x in out)


def _is_reading_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.namespaces[:1] == [READING_NAMESPACE]


class ScriptPreferenceMiddleware:
    """Sets `request.script` ("hans"/"hant") and shows reading pages in that script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.script = script_from_cookie(request)
        request.script_preference = request.script  # older name, kept for callers
        response = self.get_response(request)
        if _is_reading_page(request):
            patch_vary_headers(response, ["Cookie"])
            if self._convertible(response):
                self._convert(response, request.script)
        return response

    @staticmethod
    def _convertible(response) -> bool:
        return (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
        )

    @staticmethod
    def _convert(response, script):
        charset = response.charset
        html = response.content.decode(charset)
        converted = convert_html(html, script)
        if converted != html:
            response.content = converted.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))


class LoginRequiredForReadingMiddleware:
    """With ANTHOLOGY_LOGIN_REQUIRED, anonymous readers are sent to the login page.

    Everything resolved outside the admin needs a login (deny by default); the admin —
    including its login page — and static files stay reachable. The flag is read on every
    request so it can be switched in tests and without code changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "ANTHOLOGY_LOGIN_REQUIRED", False):
            return None
        if request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            return None
        static_url = "/" + settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else None
        if static_url and request.path.startswith(static_url):
            return None
        return redirect_to_login(request.get_full_path())
