"""Rendered reading pages, cached per script (简/繁), never stale.

Every page is stored under the content's *generation*: a number in the database that every
write a reader could see bumps in its own transaction (signals for save() and delete(),
and the bulk writers in essays.services). A page rendered before a publish, an edit, a
merge, a theme change or an import is stored under the old number and never asked for
again, so nothing needs finding and deleting, and every server process (gunicorn's
workers, an import command) agrees.

Where a process learns the generation:

- SQLite: from the database, one indexed query per request (in the process itself: no
  round trip to a server).
- PostgreSQL: from the database once, then from the database's own notices. A bump sends
  `NOTIFY anthology_page_generation` in its transaction, so PostgreSQL tells every
  listening process when, and only when, the bump commits (a writer that dies before or
  after its commit can neither lose nor fake the notice). Each process keeps one extra
  connection that LISTENs; a request looks at that connection's socket without waiting (no
  round trip) and takes the number a notice carries. It reads the number from the database
  after a write of its own, at least every `RESYNC_SECONDS`, and always while the
  listening connection is down (reconnected every `RECONNECT_SECONDS`). A request inside an open
  transaction (tests, ATOMIC_REQUESTS) reads the number its own transaction sees.

Where a page is kept: in the process itself (`LocalPages`, up to
ANTHOLOGY_PAGE_CACHE_LOCAL_MB, ready to send: no unpickling, no decoding), and, when
REDIS_URL is set (settings), in Redis as well, where the other processes find it. Both are
keyed by the generation, so neither is ever emptied to stay correct: a local copy of an
old generation is dropped when the process first sees a new one.

Only what every non-staff reader sees alike is cached: GET of a reading page, answered 200
as HTML. Staff (who see the 来源 links, and drafts in the admin) get every page fresh with
`Cache-Control: no-cache, no-store`. In intranet mode an anonymous request is never
answered from the cache (it is sent to the login page). A page's CSRF tokens (the 简/繁
switch form) are stored as gaps and filled with the reader's own token. Cached pages carry
an ETag and `Cache-Control: max-age=0, must-revalidate`, so a browser or proxy keeps them
and revalidates (304), and `X-Page-Cache: hit` (or `miss` when just rendered and stored).

Imported by essays.models at its end, so the models it names already exist.
"""

import hashlib
import os
import re
import select
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.urls import Resolver404, get_urlconf, resolve
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
# The value of every CSRF token field: a cached page keeps the text around them.
_TOKEN_VALUE = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[^"]*(?=")')
CHANNEL = "anthology_page_generation"
RESYNC_SECONDS = 5.0  # the number read again at least this often, notices or not
RECONNECT_SECONDS = 5.0
NOTICE_WAIT_SECONDS = 1.0  # a writer waits at most this for its own notice


class PageGeneration(models.Model):
    """One row: the generation of everything the reading pages show."""

    value = models.BigIntegerField("代数", default=0)

    class Meta:
        verbose_name = "页面缓存代数"
        verbose_name_plural = "页面缓存代数"

    def __str__(self):
        return str(self.value)


def read_generation() -> int:
    """The number as this connection's transaction sees it: one query."""
    # Plain SQL, as the ORM's compiling of the query cost more than the rest of a cache hit.
    table = connection.ops.quote_name(PageGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_generation() -> None:
    """Every cached page is out of date from the moment the caller's transaction commits."""
    if connection.vendor == "postgresql":
        # The notice carries the new number. PostgreSQL sends it at the commit, to every
        # listening process, in commit order (the row stays locked until then, so the
        # last notice a process has holds the newest number); never on a rollback.
        generation.listen_now()  # before the commit, so this process hears its own notice
        table = connection.ops.quote_name(PageGeneration._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH bumped AS (UPDATE {table} SET value = value + 1 WHERE id = 1 RETURNING value) "
                "SELECT value, pg_notify(%s, value::text) FROM bumped",
                [CHANNEL],
            )
            row = cursor.fetchone()
        if row is None:
            PageGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
            transaction.on_commit(generation.forget)
        else:
            # The writer returns once the notice has come back to it: PostgreSQL signals
            # every listener at the same commit, so by then the others have it too, and the
            # next page anyone asks for (the editor's own included) is of the new number.
            number = row[0]
            transaction.on_commit(lambda: generation.await_notice(number))
        return
    if not PageGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        PageGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
    transaction.on_commit(generation.forget)  # this process's own pages need no wait


def _bump_on_signal(sender, **kwargs):
    bump_generation()


def connect() -> None:
    from .models import Author, Collection, Essay, SourceDocument, Theme, ThemedEssay

    for model in (Essay, ThemedEssay, Theme, Collection, Author, SourceDocument):
        for signal in (post_save, post_delete):
            signal.connect(_bump_on_signal, sender=model, dispatch_uid=f"essays.pagecache.{model.__name__}")


# The generation as this process knows it -------------------------------------------------


class Generation:
    """This process's copy of the number, kept true by PostgreSQL's notices (module doc)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._known = None  # the number, or None: read it from the database
        self._read_at = 0.0
        self._epoch = 0  # moves on every forget(): a read begun before it is not kept
        self._listener = None  # a psycopg connection LISTENing on CHANNEL, in this process
        self._pid = None
        self._poller = None
        self._retry_at = 0.0

    def current(self) -> int:
        if (
            connection.vendor != "postgresql"
            or connection.in_atomic_block
            or not getattr(settings, "ANTHOLOGY_PAGE_CACHE_LISTEN", True)
        ):
            return read_generation()
        with self._lock:
            self._poll()
            if self._known is not None and time.monotonic() - self._read_at < RESYNC_SECONDS:
                return self._known
            epoch, listening = self._epoch, self._listener is not None
        started = time.monotonic()
        value = read_generation()
        with self._lock:
            # Kept only if no notice came since this read began and the listener was up
            # throughout (a notice sent while it was down is lost).
            if listening and self._epoch == epoch and self._listener is not None:
                self._known, self._read_at = value, started
        return value

    def forget(self) -> None:
        with self._lock:
            self._forget()

    def listen_now(self) -> None:
        """Listen from now on, if this process does not yet (a writer that serves no page)."""
        if getattr(settings, "ANTHOLOGY_PAGE_CACHE_LISTEN", True):
            with self._lock:
                if self._listener is None or self._pid != os.getpid():
                    self._retry_at = 0.0
                    self._listen()

    def await_notice(self, number: int, timeout: float = NOTICE_WAIT_SECONDS) -> None:
        """After this process committed `number`: wait (at most `timeout`) for its notice."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._forget()
            while self._listener is not None and (self._known is None or self._known < number):
                left = deadline - time.monotonic()
                if left <= 0 or not self._poller.poll(left * 1000):
                    break
                self._poll()
            if self._known is not None and self._known < number:
                self._forget()

    def _forget(self) -> None:
        self._known = None
        self._epoch += 1

    def _poll(self) -> None:
        """Take in any notices waiting on the listening connection; no waiting, no query."""
        if self._listener is None or self._pid != os.getpid():
            self._listen()
            return
        try:
            pgconn = self._listener.pgconn
            # Until nothing more is waiting: a server ending the session sends its reason
            # first and closes after, and reading the close is what raises.
            for _ in range(100):
                if not self._poller.poll(0):
                    break
                pgconn.consume_input()  # raises on a closed connection
                last = noticed = None
                while (notice := pgconn.notifies()) is not None:
                    noticed, last = True, notice.extra
                if noticed:
                    known = self._known
                    self._forget()
                    if last.isdigit():  # the newest number committed: no need to read it
                        # (unless this process read a newer one meanwhile, whose notice
                        # is on its way)
                        number = int(last) if known is None else max(known, int(last))
                        self._known, self._read_at = number, time.monotonic()
            if pgconn.status != 0:  # CONNECTION_OK
                raise ConnectionError("listening connection lost")
        except Exception:
            self._drop()

    def _listen(self) -> None:
        if self._pid is not None and self._pid != os.getpid():
            # A forked copy of the parent's connection: never closed here (closing would
            # end the parent's session), only let go.
            _forked.append(self._listener)
            self._listener = self._poller = self._pid = None
        now = time.monotonic()
        if now < self._retry_at:
            return
        self._retry_at = now + RECONNECT_SECONDS
        try:
            import psycopg

            params = connection.get_connection_params()
            for option in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
                params.pop(option, None)
            params.setdefault("connect_timeout", 5)
            params.setdefault("keepalives", 1)
            params.setdefault("keepalives_idle", 30)
            params.setdefault("keepalives_interval", 10)
            params.setdefault("keepalives_count", 3)
            listener = psycopg.connect(autocommit=True, **params)
            listener.execute(f"LISTEN {CHANNEL}")
        except Exception:
            return  # read from the database meanwhile; tried again later
        poller = select.poll()
        poller.register(listener.pgconn.socket, select.POLLIN | select.POLLPRI)
        self._listener, self._poller, self._pid = listener, poller, os.getpid()
        self._forget()  # bumps committed before the LISTEN sent no notice here: read once

    def _drop(self) -> None:
        listener, self._listener, self._poller = self._listener, None, None
        self._forget()
        try:
            listener.close()
        except Exception:
            pass

    def stop(self) -> None:
        """Close the listening connection (tests close it before their database is dropped)."""
        with self._lock:
            if self._listener is not None and self._pid == os.getpid():
                self._drop()
            self._retry_at = 0.0

    @property
    def listening(self) -> bool:
        return self._listener is not None


_forked: list = []
generation = Generation()


def current_generation() -> int:
    return generation.current()


# The pages ---------------------------------------------------------------------------


class Page(NamedTuple):
    """A page ready to send: its bytes in the gaps between CSRF tokens."""

    parts: tuple
    content_type: str
    etag: str

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.parts) + 200


class LocalPages:
    """This process's pages of one generation, the least recently used dropped past a size."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._generation = None
        self._pages: OrderedDict = OrderedDict()
        self._size = 0

    def get(self, generation_: int, key) -> Page | None:
        with self._lock:
            if generation_ != self._generation:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, generation_: int, key, page: Page) -> None:
        if page.size > self.max_bytes:
            return
        with self._lock:
            if generation_ != self._generation:
                self._generation = generation_
                self._pages.clear()
                self._size = 0
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= old.size
            self._pages[key] = page
            self._size += page.size
            while self._size > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._size -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._generation = None
            self._pages.clear()
            self._size = 0

    def __len__(self):
        return len(self._pages)


local_pages = LocalPages(int(getattr(settings, "ANTHOLOGY_PAGE_CACHE_LOCAL_MB", 64)) * 1024 * 1024)


def _shared():
    """The cache the processes share (Redis), or None when the default cache is this
    process's own memory (the local pages are that already)."""
    return None if isinstance(cache, LocMemCache) else cache


def clear() -> None:
    """Every cached page gone, here and in the shared cache (tests)."""
    local_pages.clear()
    generation.forget()
    cache.clear()


def _shared_key(generation_: int, script: str, full_path: str) -> str:
    path = hashlib.sha256(full_path.encode()).hexdigest()[:32]
    return f"page2:{generation_}:{script}:{path}"


# The reader's CSRF token -------------------------------------------------------------------
# What django.middleware.csrf.get_token returns and does (the secret kept for the cookie, the
# token a masked copy of it), from one read of the system's randomness: get_token reads it
# once per character, 64 times for a reader without the cookie, which cost a cached page
# more than everything else it does (about 0.35 ms against 0.05 ms).

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {c: i for i, c in enumerate(_CHARS)}
_UNBIASED = 256 - 256 % len(_CHARS)  # bytes at or above this are dropped, not folded


def _random_indexes(n: int) -> list[int]:
    found: list[int] = []
    while len(found) < n:
        found += [b % len(_CHARS) for b in os.urandom(n + n // 2) if b < _UNBIASED]
    return found[:n]


def csrf_token(request) -> str:
    secret = request.META.get("CSRF_COOKIE")
    drawn = _random_indexes(CSRF_SECRET_LENGTH * (1 if secret else 2))
    if not secret:
        secret = "".join(_CHARS[i] for i in drawn[CSRF_SECRET_LENGTH:])
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = drawn[:CSRF_SECRET_LENGTH]
    cipher = "".join(_CHARS[(_INDEX[c] + m) % len(_CHARS)] for c, m in zip(secret, mask, strict=True))
    return "".join(_CHARS[m] for m in mask) + cipher


# The middleware -------------------------------------------------------------------------

_RESOLVED: dict = {}  # (urlconf, path) -> a cached view's?  (a bounded memo of resolve())


def _cached_view(path: str) -> bool:
    key = (get_urlconf() or settings.ROOT_URLCONF, path)
    found = _RESOLVED.get(key)
    if found is None:
        try:
            match = resolve(path)
            found = match.namespaces[:1] == [READING_NAMESPACE] and match.url_name in CACHED_VIEWS
        except Resolver404:
            found = False
        if len(_RESOLVED) >= 10_000:
            _RESOLVED.clear()
        _RESOLVED[key] = found
    return found


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or not getattr(settings, "ANTHOLOGY_PAGE_CACHE", True):
        return False
    if request.COOKIES.get("messages"):
        return False  # a page may carry a one-off message for this reader
    if not _cached_view(request.path_info):
        return False
    user = request.user
    if user.is_authenticated:
        return not user.is_staff
    return not getattr(settings, "ANTHOLOGY_LOGIN_REQUIRED", False)


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
        number = current_generation()
        script = script_from_cookie(request)
        full_path = request.get_full_path()
        key = (script, full_path)
        page = local_pages.get(number, key)
        if page is None:
            shared = _shared()
            if shared is not None:
                page = shared.get(_shared_key(number, script, full_path))
                if isinstance(page, Page):
                    local_pages.put(number, key, page)
                else:
                    page = None
        if page is not None:
            return self._from_cache(request, page)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            content = response.content
            parts = tuple(_TOKEN_VALUE.split(content))
            etag = hashlib.sha256(b"".join(parts)).hexdigest()[:32]
            page = Page(parts, response["Content-Type"], etag)
            local_pages.put(number, key, page)
            shared = _shared()
            if shared is not None:
                shared.set(
                    _shared_key(number, script, full_path), page, settings.ANTHOLOGY_PAGE_CACHE_SECONDS
                )
            _headers(response, etag, request)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _from_cache(request, page: Page):
        if request.headers.get("If-None-Match", "").strip() == f'"{page.etag}"':
            response = HttpResponseNotModified()
        elif len(page.parts) == 1:
            response = HttpResponse(page.parts[0], content_type=page.content_type)
        else:
            token = csrf_token(request).encode()
            response = HttpResponse(token.join(page.parts), content_type=page.content_type)
        _headers(response, page.etag, request)
        response["X-Page-Cache"] = "hit"
        return response
