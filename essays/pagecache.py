"""Rendered reading pages, cached per script (简/繁), never stale.

Every page is stored under the content's *generation*: a number in the database that every
write a reader could see bumps in its own transaction (signals for save() and delete(),
and the bulk writers in essays.services). A page rendered before a publish, an edit, a
merge, a theme change or an import is stored under the old number and never asked for
again, so nothing needs finding and deleting, and every server process (gunicorn's
workers, an import command) agrees, whichever cache backend: Django's local-memory cache
by default, Redis when REDIS_URL is set (settings). Reading the number costs each request
one indexed query.

Only what every non-staff reader sees alike is cached: GET of a reading page, answered 200
as HTML. Staff (who see the 来源 links, and drafts in the admin) get every page fresh with
`Cache-Control: no-cache, no-store`. In intranet mode an anonymous request is never
answered from the cache (it is sent to the login page). A page's CSRF tokens (the 简/繁
switch form) are stored as a placeholder and filled with the reader's own token. Cached
pages carry an ETag and `Cache-Control: max-age=0, must-revalidate`, so a browser or proxy
keeps them and revalidates (304).

Imported by essays.models at its end, so the models it names already exist.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from .middleware import READING_NAMESPACE, script_from_cookie

CACHED_VIEWS = frozenset(
    {
        "home",
        "theme_list",
        "theme_detail",
        "collection_list",
        "collection_detail",
        "essay_detail",
        "essay_list",
        "year_list",
        "year_detail",
        "author_list",
        "author_detail",
        "search",
    }
)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = "\x00csrf\x00"


class PageGeneration(models.Model):
    """One row: the generation of everything the reading pages show."""

    value = models.BigIntegerField("代数", default=0)

    class Meta:
        verbose_name = "页面缓存代数"
        verbose_name_plural = "页面缓存代数"

    def __str__(self):
        return str(self.value)


def current_generation() -> int:
    # Read on every cached page: plain SQL, as the ORM's compiling of the query cost more
    # than the rest of a cache hit.
    table = connection.ops.quote_name(PageGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_generation() -> None:
    """Every cached page is out of date from the moment the caller's transaction commits."""
    if not PageGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        PageGeneration.objects.get_or_create(pk=1, defaults={"value": 1})


def _bump_on_signal(sender, **kwargs):
    bump_generation()


def connect() -> None:
    from .models import Author, Collection, Essay, SourceDocument, Theme, ThemedEssay

    for model in (Essay, ThemedEssay, Theme, Collection, Author, SourceDocument):
        for signal in (post_save, post_delete):
            signal.connect(_bump_on_signal, sender=model, dispatch_uid=f"essays.pagecache.{model.__name__}")


# The middleware -------------------------------------------------------------------------


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or not getattr(settings, "ANTHOLOGY_PAGE_CACHE", True):
        return False
    if request.COOKIES.get("messages"):
        return False  # a page may carry a one-off message for this reader
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.namespaces[:1] != [READING_NAMESPACE] or match.url_name not in CACHED_VIEWS:
        return False
    user = request.user
    if user.is_authenticated:
        return not user.is_staff
    return not getattr(settings, "ANTHOLOGY_LOGIN_REQUIRED", False)


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{current_generation()}:{script_from_cookie(request)}:{path}"


def _headers(response, etag: str, request) -> None:
    response["ETag"] = f'"{etag}"'
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, max_age=0, must_revalidate=True)
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)


class PageCacheMiddleware:
    """Between authentication (it needs the user) and the script conversion (it stores the
    page as converted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request):
            response = self.get_response(request)
            if getattr(request, "user", None) is not None and request.user.is_staff:
                add_never_cache_headers(response)
            return response
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            return self._from_cache(request, stored)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            content = _TOKEN.sub(rf"\g<1>{_PLACEHOLDER}\g<2>", response.content.decode(response.charset))
            etag = hashlib.sha256(content.encode()).hexdigest()[:32]
            cache.set(
                key,
                {"content": content, "type": response["Content-Type"], "etag": etag},
                settings.ANTHOLOGY_PAGE_CACHE_SECONDS,
            )
            _headers(response, etag, request)
        return response

    @staticmethod
    def _from_cache(request, stored):
        if request.headers.get("If-None-Match", "").strip() == f'"{stored["etag"]}"':
            response = HttpResponseNotModified()
        else:
            content = stored["content"].replace(_PLACEHOLDER, get_token(request))
            response = HttpResponse(content, content_type=stored["type"])
        _headers(response, stored["etag"], request)
        return response
