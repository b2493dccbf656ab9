"""The admin changelist's search box answered by the full-text index (drafts included)."""

from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.text import smart_split, unescape_string_literal

from .index import matching_sql
from .tokens import parse_query

# Searched by name as Django's admin does; title and body go through the index instead.
NAME_FIELDS = ("author__name", "author__organization", "collection__title")


def essay_search_results(queryset, search_term: str):
    """Essays whose title/body match every word (either script), or whose names contain them."""
    query = parse_query(search_term)
    if not query:
        return queryset, False
    sql, params = matching_sql(query)
    names = Q()
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        names &= Q.create([(f"{field}__icontains", bit) for field in NAME_FIELDS], connector=Q.OR)
    return queryset.filter(Q(pk__in=RawSQL(sql, params)) | names), False
