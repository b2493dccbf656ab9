"""Reading pages.

Readers (staff included) see published essays only; collections, themes and authors
without a published essay are not listed and their pages are 404. Every page runs a fixed
number of queries whatever it lists: lists come from the `for_listing()` and
`with_published_counts()` QuerySet methods, never from per-row lookups.
"""

import io

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from . import export
from .counts import YearCount
from .ingest.script import to_simplified, to_traditional
from .middleware import SCRIPT_COOKIE, SCRIPTS, script_from_cookie
from .models import Author, Collection, Essay, Theme
from .paging import ORDERS, order_named, seek_page
from .related import stored_related
from .search.query import SearchRequest, author_named, filter_choices
from .search.render import highlighted_paragraphs
from .sortkeys import pinyin_key

HOME_THEME_COUNT = 30
HOME_COLLECTION_COUNT = 8
SCRIPT_COOKIE_AGE = 365 * 24 * 60 * 60


def _paginate(request, queryset):
    """The requested page (`?page=`); a bad or out-of-range number gives the nearest page."""
    return Paginator(queryset, settings.ANTHOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))


def _newest_collections():
    # Aggregating queries drop Meta.ordering, so the order is given here.
    return Collection.objects.visible().order_by("-created_at", "-id")


def home(request):
    themes = Theme.objects.in_use().order_by("-essay_count", "name")[:HOME_THEME_COUNT]
    collections = _newest_collections()[:HOME_COLLECTION_COUNT]
    # Complete essays only: a fragment is never what the home page puts forward.
    essays = (
        Essay.objects.published().complete().for_list_page().newest_first()[: settings.ANTHOLOGY_PAGE_SIZE]
    )
    return render(
        request,
        "essays/home.html",
        {
            "nav": "home",
            "themes": themes,
            "collections": collections,
            "page_obj": {"object_list": list(essays)},
            "years": YearCount.objects.shown(),
        },
    )


def essay_list(request):
    """Every published essay: newest, by title in pinyin order, or longest first."""
    order = order_named(request.GET.get("sort"))
    essays = Essay.objects.published().for_list_page()
    page_obj = seek_page(request, essays, count=Collection.objects.published_total(), order=order)
    return render(
        request,
        "essays/essay_list.html",
        {"nav": "essays", "page_obj": page_obj, "sort": order, "orders": ORDERS},
    )


def year_list(request):
    return render(request, "essays/year_list.html", {"nav": "years", "years": YearCount.objects.shown()})


def year_detail(request, year):
    count = YearCount.objects.filter(year=year, published__gt=0).values_list("published", flat=True).first()
    if count is None:
        raise Http404("这一年没有文章。")
    essays = Essay.objects.published().filter(year=year).for_list_page()
    page_obj = seek_page(request, essays, count=count)
    return render(request, "essays/year_detail.html", {"nav": "years", "year": year, "page_obj": page_obj})


THEME_ORDERS = {"pinyin": "拼音", "size": "篇数"}


def theme_list(request):
    """Themes in pinyin order (主题 under z, not by code point), or the biggest first with
    ?sort=size. A few hundred themes, sorted here with their keys cached."""
    sort = request.GET.get("sort") if request.GET.get("sort") in THEME_ORDERS else "pinyin"
    themes = list(Theme.objects.in_use())
    themes.sort(key=lambda t: (pinyin_key(t.name), t.name, t.pk))
    if sort == "size":
        themes.sort(key=lambda t: -t.essay_count)  # stable: pinyin order among equals
    return render(
        request,
        "essays/theme_list.html",
        {"nav": "themes", "page_obj": _paginate(request, themes), "sort": sort, "orders": THEME_ORDERS},
    )


def theme_detail(request, slug):
    theme = Theme.objects.in_use().filter(slug=slug).first()
    if theme is None:
        # /themes/黨的建設/ typed or copied in the other script finds 党的建设.
        variants = {to_simplified(slug), to_traditional(slug)} - {slug}
        other = Theme.objects.in_use().filter(slug__in=variants).first() if variants else None
        if other is None:
            raise Http404("没有这个主题。")
        return redirect(other, permanent=True)
    share = theme.essay_count / max(1, Collection.objects.published_total())
    essays = Essay.objects.published().in_theme_newest_first(theme, share=share).for_list_page()
    page_obj = seek_page(request, essays, count=theme.essay_count)
    return render(
        request, "essays/theme_detail.html", {"nav": "themes", "theme": theme, "page_obj": page_obj}
    )


def collection_list(request):
    collections = _newest_collections()
    return render(
        request,
        "essays/collection_list.html",
        {"nav": "collections", "page_obj": _paginate(request, collections)},
    )


def collection_detail(request, pk):
    collection = get_object_or_404(Collection.objects.visible(), pk=pk)
    essays = (
        Essay.objects.published().filter(collection=collection).for_list_page().order_by("position", "id")
    )
    declared = collection.declared_essay_count
    return render(
        request,
        "essays/collection_detail.html",
        {
            "nav": "collections",
            "collection": collection,
            "count_differs": declared is not None and declared != collection.essay_count,
            "page_obj": _paginate(request, essays),
        },
    )


def essay_detail(request, pk):
    essay = get_object_or_404(Essay.objects.published().for_listing().defer("source_text"), pk=pk)
    collection = essay.collection
    # One query for the collection's reading order: position, count, previous and next.
    siblings = list(
        Essay.objects.published()
        .filter(collection_id=essay.collection_id)
        .order_by("position", "id")
        .values_list("pk", "title", named=True)
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == essay.pk)
    declared = collection.declared_essay_count
    return render(
        request,
        "essays/essay_detail.html",
        {
            "nav": "essays",
            "essay": essay,
            "collection": collection,
            # ?hl= comes from a search hit: its words are marked in the text.
            "paragraphs": highlighted_paragraphs(essay.paragraphs, request.GET.get("hl")),
            "position": index + 1,
            "published_count": len(siblings),
            "declared_count": declared if declared is not None and declared != len(siblings) else None,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "related": stored_related(essay),
        },
    )


def author_list(request):
    authors = Author.objects.visible().order_by("name", "organization", "id")
    return render(
        request, "essays/author_list.html", {"nav": "authors", "page_obj": _paginate(request, authors)}
    )


def author_detail(request, pk):
    author = get_object_or_404(Author.objects.visible(), pk=pk)
    essays = Essay.objects.published().filter(author=author).for_list_page()
    page_obj = seek_page(request, essays, count=author.essay_count)
    return render(
        request, "essays/author_detail.html", {"nav": "authors", "author": author, "page_obj": page_obj}
    )


@require_POST
def set_script(request, script):
    """Remember 简 or 繁 in a cookie and go back to the page the reader came from.

    POST only, from the small form in every page's header (CSRF token included): a GET — a
    link, a prefetch, a crawler, an image tag on another site — never changes the setting.
    """
    if script not in SCRIPTS:  # the URL pattern already allows only these
        raise Http404
    # The form posts to the URL the page built (?next=<that page>); a `next` field also works.
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("essays:home")
    response = redirect(target)
    response.set_cookie(
        SCRIPT_COOKIE,
        script,
        max_age=SCRIPT_COOKIE_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response


# Downloads (.docx, .txt) and the staff provenance page ------------------------------------
# Downloads are built by essays.export (pure) in the reader's script: the script middleware
# converts HTML only, so these convert their own text.

DOWNLOAD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}
_ESSAY_BUILDERS = {"docx": export.essay_docx, "txt": export.essay_text}
_COLLECTION_BUILDERS = {"docx": export.collection_docx, "txt": export.collection_text}
REPAIR_ROWS = 1000  # beyond this the provenance page lists only the essay's own repairs


def _download(data: bytes, fmt: str, title: str, *, fallback: str, script: str):
    title = export.model.converter(script)(title)
    filename = export.download_filename(title, fmt, fallback=fallback)
    # FileResponse writes the RFC 5987 filename*=utf-8'' form for Chinese names.
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=DOWNLOAD_TYPES[fmt]
    )


def _export_essay(essay, *, with_source: bool) -> export.ExportEssay:
    document = essay.source_document if with_source else None
    # a web address, else the site: never the imported file's name (export.reader_source)
    source = export.reader_source(document.source_url if document else "", essay.collection.source)
    return export.ExportEssay(
        title=essay.title,
        body=essay.body,
        subtitle=essay.subtitle,
        author=essay.author.name if essay.author else "",
        organization=essay.author.organization if essay.author else "",
        collection_title=str(essay.collection),
        source=source or essay.collection.site,
    )


def essay_download(request, pk, fmt):
    """One published essay as .docx or .txt: one query."""
    essay = get_object_or_404(
        Essay.objects.published()
        .select_related("collection", "author", "source_document")
        .defer("source_document__raw", "source_document__text", "source_document__report"),
        pk=pk,
    )
    script = script_from_cookie(request)
    data = _ESSAY_BUILDERS[fmt](_export_essay(essay, with_source=True), script)
    return _download(data, fmt, essay.title, fallback=f"essay-{essay.pk}", script=script)


def collection_download(request, pk, fmt):
    """A collection's published essays in reading order as one .docx or .txt: two queries."""
    collection = get_object_or_404(Collection.objects.visible(), pk=pk)
    essays = (
        Essay.objects.published()
        .filter(collection=collection)
        .select_related("collection", "author")
        .order_by("position", "id")
    )
    document = export.ExportCollection(
        title=str(collection),
        description=collection.description,
        date=collection.date_display,
        site=collection.site,
        source=export.reader_source(collection.source),
        essays=[_export_essay(essay, with_source=False) for essay in essays],
    )
    script = script_from_cookie(request)
    data = _COLLECTION_BUILDERS[fmt](document, script)
    return _download(data, fmt, str(collection), fallback=f"collection-{collection.pk}", script=script)


def _staff_essay_with_source(request, pk, queryset):
    """The essay for a staff member; a login for the anonymous, 404 for other readers."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise Http404
    essay = get_object_or_404(queryset.published().filter(source_document__isnull=False), pk=pk)
    return essay, None


def essay_source(request, pk):
    """Staff only: the source document an essay came from, its span marked, the cleanup listed.

    Four queries: session, user, the essay with its source, the document's earlier essays.
    """
    essay, refusal = _staff_essay_with_source(
        request,
        pk,
        Essay.objects.select_related("collection", "source_document", "source_document__imported_by")
        .defer("source_document__raw")
        .annotate(raw_size=Length("source_document__raw")),
    )
    if refusal:
        return refusal
    document = essay.source_document
    # Always one query, so the count never depends on the data; an essay without a place
    # in the source's order (None) gets no earlier essays and no guessed span.
    earlier = list(
        Essay.objects.filter(source_document=document, source_index__lt=essay.source_index or 0)
        .order_by("source_index", "id")
        .values_list("source_text", flat=True)
    )
    text = export.unify_newlines(document.text)
    span = export.locate_span(text, essay.source_text, earlier if essay.source_index is not None else None)
    report = document.report or {}
    repairs = [r for r in report.get("repairs", []) if isinstance(r, dict)]
    repair_rows, repairs_hidden = export.repair_rows(span, repairs, REPAIR_ROWS)
    html = render_to_string(
        "essays/provenance.html",
        {
            "nav": "collections",
            "essay": essay,
            "collection": essay.collection,
            "document": document,
            "span": span,
            "source_html": _source_html(text, span),
            "line_count": text.count("\n") + 1,
            "counts": [
                (export.cleanup_label(action), action, n) for action, n in report.get("counts", {}).items()
            ],
            "repairs": repair_rows,
            "repairs_total": len(repairs),
            "repairs_hidden": repairs_hidden,
            "warnings": report.get("warnings", []),
        },
        request=request,
    )
    # Streamed so the script middleware (which converts only whole HTML responses) leaves the
    # source exactly as stored: a provenance page in the other script would misreport it.
    return StreamingHttpResponse(iter([html]), content_type="text/html; charset=utf-8")


def essay_source_raw(request, pk):
    """Staff only: the source file's bytes, exactly as imported."""
    essay, refusal = _staff_essay_with_source(request, pk, Essay.objects.select_related("source_document"))
    if refusal:
        return refusal
    document = essay.source_document
    filename = export.source_label("", document.name) or f"source-{document.pk}"
    return FileResponse(
        io.BytesIO(bytes(document.raw)),
        as_attachment=True,
        filename=filename,
        content_type="application/octet-stream",
    )


def _source_html(text: str, span) -> str:
    """The source's lines, each escaped and addressable (#L17), the essay's lines in <mark>.

    Built by joining strings: a template loop over a 100 000-line source takes seconds.
    Escaping the whole text at once is several times faster than line by line, and leaves
    the newlines where they were.
    """
    parts = []
    first, last = (span.first_line, span.last_line) if span else (0, 0)
    for number, line in enumerate(str(escape(text)).split("\n"), start=1):
        if number == first:
            parts.append('<mark class="source-span" id="essay-span">')
        # The newline stays inside the line's block, so copied text keeps its line breaks
        # and the browser draws no blank line between blocks.
        parts.append(f'<span class="source-line" id="L{number}">{line}\n</span>')
        if number == last:
            parts.append("</mark>")
    # All the source text above went through escape(); the rest is fixed markup.
    return mark_safe("".join(parts))


def search(request):
    """/search/?q=…: published essays matching every word, in either script (essays.search)."""
    search_request = SearchRequest.from_params(request.GET)
    if search_request.browsing:
        page_obj = search_request.browse()
    else:
        page_obj = search_request.run(published_only=True) if search_request.query else None
    return render(
        request,
        "essays/search.html",
        {
            "nav": "search",
            "search": search_request,
            "q": search_request.text,
            "page_obj": page_obj,
            "filter_author": author_named(search_request.filters),
            **filter_choices(search_request.filters),
        },
    )
