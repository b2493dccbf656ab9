"""A long page is tagged a window at a time (roles.features.item_windows): the same roles
as the whole page at once, in memory that does not grow with the page (issue 16)."""

import tracemalloc

from essays.ingest.roles import corpus, features, tag


def corpus_lines(documents: int) -> list[str]:
    lines: list[str] = []
    for path in sorted((corpus.CORPUS / "docs").glob("*.txt"))[:documents]:
        lines += path.read_text("utf-8", errors="replace").splitlines() + [""]
    return lines


def labels_with(monkeypatch, lines, window, margin=tag.MARGIN):
    monkeypatch.setattr(tag, "WINDOW", window)
    monkeypatch.setattr(tag, "MARGIN", margin)
    return tag.label_lines(lines)


def test_windows_give_the_roles_of_the_whole_page(monkeypatch):
    lines = corpus_lines(378)
    assert sum(1 for line in lines if line.strip()) > 3000

    whole = labels_with(monkeypatch, lines, window=10**9)
    monkeypatch.setattr(features, "SIMPLIFIED_LINES", 97)  # lines made Simplified a stretch at a time
    windowed = labels_with(monkeypatch, lines, window=300, margin=30)

    assert [x and x[0] for x in windowed] == [x and x[0] for x in whole]
    assert max(abs(a[1] - b[1]) for a, b in zip(whole, windowed, strict=True) if a) < 1e-6


def test_a_page_within_one_window_is_exactly_document_features():
    lines = corpus_lines(1)
    [(keep_from, keep_to, before, items)] = features.item_windows(lines)
    assert (keep_from, before) == (0, 0)
    assert keep_to == sum(1 for line in lines if line.strip())
    assert list(items) == features.document_features(lines)


def test_items_are_in_crfsuites_form_with_no_false_flag():
    # python-crfsuite registers even a False attribute when training, with weight 0
    items = features.document_features(corpus_lines(40))
    assert items and all(
        value is not False and value is not None for item in items for value in item.values()
    )
    assert any(value is True for item in items for value in item.values())


def test_tagging_a_long_page_holds_a_window_not_the_page():
    lines = corpus_lines(378) * 6  # 23,000 lines: all of them at once held some 300 MB
    tag.label_lines(lines[:50])  # the model loaded before measuring
    tracemalloc.start()
    try:
        labels = tag.label_lines(lines)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(1 for x in labels if x) > 20_000
    assert peak < 80 * 2**20, f"{peak / 2**20:.0f} MB"  # a window: about 40 MB, the page: 300
