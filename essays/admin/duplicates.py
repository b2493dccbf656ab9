"""Near-duplicates in the admin: a list on the essay change page, all flagged pairs, and two
essays side by side with their shared passages highlighted.

Mixed into EssayAdmin. The side-by-side view compares the bodies as they are now (essays.dedup
is fast enough for two essays), so highlights stay right after an editor's change; the stored
pair only says that the two belong together.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ..dedup import compare
from ..models import DuplicatePair, Essay

PAIRS_PER_PAGE = 50
PAIRS_ON_CHANGE_PAGE = 20


def highlight(text: str, spans: list[tuple[int, int, int]], side: str = "") -> SafeString:
    """`text` escaped, with each (start, end, number) span in a <mark>. Spans that overlap
    (one passage of this text matching twice in the other) are merged into one mark."""
    merged: list[list] = []
    for start, end, number in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(number)
        else:
            merged.append([start, end, [number]])
    parts = []
    position = 0
    for start, end, numbers in merged:
        parts.append(escape(text[position:start]))
        label = "、".join(str(n) for n in numbers)
        parts.append(
            format_html(
                '<mark class="shared-passage" id="{}p{}" title="共同段落 {}">{}</mark>',
                side,
                numbers[0],
                label,
                text[start:end],
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped or format_html


class DuplicatesAdminMixin:
    change_form_template = "admin/essays/essay/change_form_duplicates.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name="{}_{}_duplicates".format(*info),
            ),
            path(
                "duplicates/<int:first>/<int:second>/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id and str(object_id).isdigit():
            pairs = DuplicatePair.objects.involving(int(object_id)).for_listing()
            extra_context["duplicate_pairs"] = [
                (pair, pair.other(int(object_id))) for pair in pairs[:PAIRS_ON_CHANGE_PAGE]
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def duplicates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        pairs = DuplicatePair.objects.for_listing()
        near_only = request.GET.get("near") == "1"
        if near_only:
            pairs = pairs.filter(near_duplicate=True)
        page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "近似文章与共同段落",
            "page": page,
            "near_only": near_only,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/essays/essay/duplicates.html", context)

    def compare_view(self, request, first, second):
        if not self.has_view_permission(request):
            raise PermissionDenied
        essays = Essay.objects.select_related("collection", "author").in_bulk([first, second])
        if first == second or len(essays) != 2:
            raise Http404("没有这两篇文章。")
        a, b = essays[first], essays[second]
        comparison = compare(a.body, b.body)
        passages = comparison.passages
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "对照：共同段落",
            "essay_a": a,
            "essay_b": b,
            "comparison": comparison,
            "passages": [(n, p, a.body[p.a_start : p.a_end]) for n, p in enumerate(passages, start=1)],
            "body_a": highlight(
                a.body, [(p.a_start, p.a_end, n) for n, p in enumerate(passages, start=1)], "a"
            ),
            "body_b": highlight(
                b.body, [(p.b_start, p.b_end, n) for n, p in enumerate(passages, start=1)], "b"
            ),
            "stored": DuplicatePair.objects.between(first, second).first(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/essays/essay/duplicates_compare.html", context)
