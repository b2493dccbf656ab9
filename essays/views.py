"""Reading pages.

Readers (staff included) see published essays only; collections, themes and authors
without a published essay are not listed and their pages are 404. Every page runs a fixed
number of queries whatever it lists: lists come from the `for_listing()` and
`with_published_counts()` QuerySet methods, never from per-row lookups.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .ingest.script import to_simplified, to_traditional
from .middleware import SCRIPT_COOKIE, SCRIPTS
from .models import Author, Collection, Essay, Theme

HOME_THEME_COUNT = 30
HOME_COLLECTION_COUNT = 8
SCRIPT_COOKIE_AGE = 365 * 24 * 60 * 60


def _paginate(request, queryset):
    """The requested page (`?page=`); a bad or out-of-range number gives the nearest page."""
    return Paginator(queryset, settings.ANTHOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))


def _newest_collections():
    # Aggregating queries drop Meta.ordering, so the order is given here.
    return Collection.objects.visible().order_by("-created_at", "-id")


def _newest_first(queryset):
    return queryset.order_by(F("published_at").desc(nulls_last=True), "-id")


def home(request):
    themes = Theme.objects.in_use().order_by("-essay_count", "name")[:HOME_THEME_COUNT]
    collections = _newest_collections()[:HOME_COLLECTION_COUNT]
    essays = _newest_first(Essay.objects.published().for_listing())
    return render(
        request,
        "essays/home.html",
        {
            "nav": "home",
            "themes": themes,
            "collections": collections,
            "page_obj": _paginate(request, essays),
        },
    )


def theme_list(request):
    themes = Theme.objects.in_use().order_by("name", "id")
    return render(
        request, "essays/theme_list.html", {"nav": "themes", "page_obj": _paginate(request, themes)}
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
    essays = _newest_first(Essay.objects.published().in_theme(theme).for_listing())
    return render(
        request,
        "essays/theme_detail.html",
        {"nav": "themes", "theme": theme, "page_obj": _paginate(request, essays)},
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
    essays = Essay.objects.published().filter(collection=collection).for_listing().order_by("position", "id")
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
    essay = get_object_or_404(Essay.objects.published().for_listing(), pk=pk)
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
            "nav": "collections",
            "essay": essay,
            "collection": collection,
            "paragraphs": essay.paragraphs,
            "position": index + 1,
            "published_count": len(siblings),
            "declared_count": declared if declared is not None and declared != len(siblings) else None,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        },
    )


def author_list(request):
    authors = (
        Author.objects.with_published_counts()
        .filter(essay_count__gt=0)
        .order_by("name", "organization", "id")
    )
    return render(
        request, "essays/author_list.html", {"nav": "authors", "page_obj": _paginate(request, authors)}
    )


def author_detail(request, pk):
    author = get_object_or_404(Author.objects.with_published_counts().filter(essay_count__gt=0), pk=pk)
    essays = _newest_first(Essay.objects.published().filter(author=author).for_listing())
    return render(
        request,
        "essays/author_detail.html",
        {"nav": "authors", "author": author, "page_obj": _paginate(request, essays)},
    )


@require_http_methods(["GET", "POST"])
def set_script(request, script):
    """Remember 简 or 繁 in a cookie and go back to the page the reader came from."""
    if script not in SCRIPTS:  # the URL pattern already allows only these
        raise Http404
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
