"""What every reading page's chrome needs; no database queries."""

from urllib.parse import urlencode

from django.urls import reverse

from .middleware import DEFAULT_SCRIPT, SCRIPTS

HTML_LANG = {"hans": "zh-Hans", "hant": "zh-Hant"}


def reading(request):
    script = getattr(request, "script", DEFAULT_SCRIPT)
    # get_full_path() is percent-encoded, so the link survives script conversion.
    query = urlencode({"next": request.get_full_path()})
    return {
        "script": script,
        "html_lang": HTML_LANG.get(script, HTML_LANG[DEFAULT_SCRIPT]),
        "script_switch_urls": {s: f"{reverse('essays:set_script', args=[s])}?{query}" for s in SCRIPTS},
    }
