"""The import pipeline: raw bytes -> ParsedDocument. Pure Python; never imports Django.

Stages, in order (each a module here): formats/decode -> normalize.hygiene -> pinyin ->
mojibake -> clean (chrome, counters, unwrap) -> normalize.punctuation -> segment -> themes.
"""

import math
import re
from collections.abc import Mapping

from .model import (
    CollectionDraft,
    EssayDraft,
    IngestError,
    ParsedDocument,
    PartialDate,
    Repair,
    Report,
)

__all__ = [
    "CollectionDraft",
    "EssayDraft",
    "IngestError",
    "ParsedDocument",
    "PartialDate",
    "Repair",
    "Report",
    "parse_document",
    "PIPELINE_VERSION",
]

PIPELINE_VERSION = "3"
ROLES = "hinted"  # how lines get their roles by default (see parse_document), chosen by bench/ingest_cv.py

SCRIPT_SAMPLE = 4000  # characters of an essay enough to tell its script
# Longer than any essay of the genre (the longest of the dev set's 48 documents is far
# shorter): a body past it is most likely a whole file that was not split, so an editor looks.
LONG_ESSAY = 200_000
# Past this a "body" is a whole file that could not be split (a 50 MB text of one line), and
# storing it would cost far more than its parse: its search index and duplicate sketch held
# 2.9 GB for 17.5 million characters. Refused: an editor splits the file first.
UNSPLIT_TEXT = 2_000_000
PUNCTUATION_CHUNK = 2000  # paragraphs
HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


TRUNCATION_MARK = re.compile(r"(?:\.{3,}|(?<!—)—)$")


def _punctuate(lines, report: Report) -> None:
    """Punctuation width in Chinese context, over the cleaned paragraphs (one line each), a
    few thousand at a time: the marks' pieces of a whole long text at once held some five
    times its size. Nothing looks past a line's end, so the chunks change nothing."""
    from . import normalize

    last = (lines[-1].text, lines[-1].simp) if lines else None
    for start in range(0, len(lines), PUNCTUATION_CHUNK):
        chunk = lines[start : start + PUNCTUATION_CHUNK]
        fixed = normalize.punctuation("\n".join(line.text for line in chunk), report).split("\n")
        if len(fixed) != len(chunk):
            continue
        changed = [(line, new) for line, new in zip(chunk, fixed, strict=True) if new != line.text]
        # a line's Simplified form follows it, so that the two stay aligned character for
        # character (a byline read from both: "作者: 王明" became "作者：王明")
        simp = [line for line, _new in changed if line.simp and line.simp != line.text]
        if simp:
            again = normalize.punctuation("\n".join(line.simp for line in simp), Report()).split("\n")
            for line, new_simp in zip(simp, again, strict=True) if len(again) == len(simp) else ():
                line.simp = new_simp
        for line, new in changed:
            if line.simp == line.text:
                line.simp = new
            line.text = new
    if last:  # the page cut off: its "..." or lone "—" is the site's mark, left as it stood
        mark = TRUNCATION_MARK.search(last[0])
        line = lines[-1]
        if mark and line.text.endswith(("……", "——")):
            line.text = line.text[:-2] + mark.group()
            if line.simp and last[1] and line.simp.endswith(("……", "——")):
                line.simp = line.simp[:-2] + mark.group()


def prepare(data: bytes, name: str, report: Report):
    """The repairs that are transformations, not judgements: format, decoding, hygiene, pinyin
    annotations, mojibake. Returns (extraction, text, widths); the text keeps the source's line
    count, so line i of it is line i of the file (what the line-role model labels)."""
    from . import formats, misdecoded, mojibake, normalize, pinyin
    from .prose import display_width

    extraction = formats.extract(data, name)
    # before hygiene, which would drop the C1 controls a Latin-1 reading leaves
    text = normalize.hygiene(misdecoded.redecode(extraction.text, report), report)
    stripped = pinyin.strip_pinyin(text, report)
    # a hard wrap was made with the annotations in: judge it by the widths they gave the lines
    widths = [display_width(line) for line in text.split("\n")] if stripped is not text else None
    # Each stage's text is as large as the file: no more of them are held than the next needs.
    text, stripped = stripped, None
    text = mojibake.repair_mojibake(text, report)
    return extraction, text, widths


RULES, MODEL, COMBINED, HINTED = "rules", "model", "combined", "hinted"
MODEL_CHROME = 0.35  # the model's confidence that removes a line the rules kept
MODEL_CHROME_SENTENCE = 0.5  # ... and a line that reads as a sentence of text
MODEL_OVER_STRUCTURE = 0.9  # ... and a line the rules read as a contents line or a title over text
# the model's confidence that makes a line an essay title for segment (marking body lines
# too, to keep segment from taking them for titles, scored no better)
TITLE_HINT = 0.5
BYLINE_HINT = 0.5  # ... and a byline, which segment then reads more freely


def _line_roles(cleaned, report: Report, roles: str, model, by_start: dict | None = None) -> list | None:
    """The model's role for each cleaned line; the lines it reads as page chrome or as the
    collection's preface are taken out of `cleaned` (and out of the list returned). None when
    there is no model or it finds no essay text at all (then the rules alone decide).
    `by_start` gets every (role, confidence, last source line) by the source line its line
    starts on, a piece of a split line after another (for overrides and the preview)."""
    from .roles.tag import MODEL as SHIPPED
    from .roles.tag import label_cleaned

    labels = label_cleaned(cleaned.lines, model or SHIPPED, rules=roles != MODEL)
    _keep_page_title(cleaned.lines, labels, model or SHIPPED, roles != MODEL)
    if by_start is not None:
        for line, got in zip(cleaned.lines, labels, strict=True):
            if got:  # a split line's pieces each have theirs, in order
                by_start.setdefault(line.start, []).append((*got, line.end))
    if not any(x and x[0] in ("start", "body") for x in labels):
        return None
    from .doc_meta import mine_chrome_line
    from .headers import contents_lines, header_lines, labelled_bylines
    from .prose import is_sentence
    from .script import to_simplified

    # never the model's to take out: a contents list (segment reads the essays' titles there and
    # removes it) and a labelled byline (作者：王明, 单位：县财政局: who wrote it, in so many words)
    contents = contents_lines(cleaned.lines)
    kept_for_segment = contents | labelled_bylines(cleaned.lines)
    # what the rules read as a title over its subtitle, byline or text: only when the model is
    # very sure
    structure = header_lines(cleaned.lines, contents)
    signed = _signed_prose(cleaned.lines, labels)
    kept, kept_labels = [], []
    for i, (line, got) in enumerate(zip(cleaned.lines, labels, strict=True)):
        # taking a sentence out of an essay costs more than leaving furniture in one
        bar = MODEL_CHROME_SENTENCE if is_sentence(line.text) else MODEL_CHROME
        if i in structure:
            bar = max(bar, MODEL_OVER_STRUCTURE)
        if i in kept_for_segment:
            bar = math.inf
        role = got[0] if got and got[1] >= bar else None
        if role == "preface" and i in signed:
            role = None
        if role in ("chrome", "preface"):
            reason = "line-role model" if role == "chrome" else "collection preface"
            if role == "preface":
                cleaned.preface.append(line.text)
            else:  # what a meta line says (作者, 来源, a date) is kept as the rules' chrome is
                mine_chrome_line(
                    "article metadata", line.text, line.simp or to_simplified(line.text), cleaned
                )
            cleaned.removed.append((line.start, line.text, reason))
            report.count(f"chrome line removed: {reason}")
            continue
        kept.append(line)
        kept_labels.append(got)
    cleaned.lines = kept
    return kept_labels


PAGE_TITLE_ODDS = 0.2  # the model's odds that a line it calls chrome is the page's title


def _keep_page_title(lines, labels, model, rules: bool) -> None:
    """A page whose lines above its text the model reads as chrome, none as a title: the one it
    thinks likeliest a title (above PAGE_TITLE_ODDS) is kept as one. The title line between a
    site's furniture and the text is chrome to it as often as a title, and losing it leaves
    the page and its essay untitled."""
    first = next((i for i, got in enumerate(labels) if got and got[0] in ("start", "body")), None)
    if first is None or any(got and got[0] in ("title", "collection") for got in labels[:first]):
        return
    # the line nearest the text that the model calls chrome, and the ones above it
    above = [i for i in range(first) if labels[i] and labels[i][0] == "chrome"]
    if not above or any(labels[i] and labels[i][0] != "chrome" for i in range(above[-1] + 1, first)):
        return
    above = [i for i in above if _titlelike(lines[i])]
    if not above:
        return
    from .roles.tag import cleaned_odds

    odds = cleaned_odds(lines, ("title", "collection"), model, rules)
    best = max(above, key=lambda i: odds[i])
    if odds[best] >= PAGE_TITLE_ODDS:
        labels[best] = ("title", odds[best])
        lines[best].hint = lines[best].hint or "title"


def _titlelike(line) -> bool:
    """Could be a page's title: some Han characters, and no byline."""
    from .bylines import byline_shaped
    from .script import to_simplified

    simp = (line.simp or to_simplified(line.text)).strip()
    return len(HAN.findall(simp)) >= 2 and not byline_shaped(line.text, simp)


def _signed_prose(lines, labels) -> set[int]:
    """The lines of each run the model reads as the collection's preface that a closing
    signature ends (——县第一中学 王明, （县财政局 王明）): an essay signed by its writer, not an
    editor's lead-in. A byline of another shape may as well open the next essay."""
    from .bylines import BYLINE_DASH, BYLINE_PAREN, read_byline
    from .script import to_simplified

    signed: set[int] = set()
    run: list[int] = []
    for i, got in enumerate([*labels, None]):
        if got and got[0] == "preface":
            run.append(i)
            continue
        if run and i < len(lines):
            line = lines[i]
            simp = (line.simp or to_simplified(line.text)).strip()
            closing = BYLINE_DASH.match(simp) or BYLINE_PAREN.match(simp)
            b = read_byline(line.text, simp) if closing and len(simp) <= 40 else None
            if b is not None and b.author:
                signed.update(run)
        run = []
    return signed


def _hint_lines(lines, labels) -> None:
    """The model's titles and bylines as hints to segment (a format's own hints win)."""
    for line, got in zip(lines, labels, strict=True):
        if line.hint or not got:
            continue
        role, confidence = got
        if role == "title" and confidence >= TITLE_HINT:
            line.hint = "title"
        elif role == "byline" and confidence >= BYLINE_HINT:
            line.hint = "byline"


def parse_document(
    data: bytes,
    name: str,
    roles: str | None = None,
    model=None,
    corrections: Mapping[int, str] | None = None,
    with_roles: bool = False,
) -> ParsedDocument:
    """Parse one source file. Raises IngestError (naming the file) when it cannot be read.

    `roles`: how lines get their roles: RULES (clean.py and segment.py alone), HINTED (the
    default: the line-role model removes chrome and names titles, segment.py does the rest, and
    the model overrules it where sure: roles/overrides.py),
    COMBINED (the model, weighing the rules as features, and essays assembled from its roles)
    or MODEL (the same without the rules' features);
    `model` a model file other than the shipped one (cross-validation trains its own);
    `with_roles`: keep every line's role in the result (`line_roles`, for the import preview);
    `corrections`: an editor's roles by 0-based source line (roles.editing.EDITABLE), which
    rebuild the essays around them (implies with_roles). CorrectionError for one that names no
    line or no such role."""
    from .clean import clean
    from .sublines import split_lines

    report = Report()
    extraction, text, widths = prepare(data, name, report)
    data = None  # the caller's reference is its own: a worker lets go of its copy (issue 16)
    roles = roles or ROLES
    cleaned = clean(text, report, extraction.hints, widths)
    text = widths = None
    if not cleaned.lines:
        raise IngestError(name, "no text found")
    with_roles = with_roles or bool(corrections)
    if corrections:
        from .roles.editing import check

        t = extraction.text
        corrections = check(corrections, t.count("\n") + t.count("\r") - t.count("\r\n") + 1)
    by_start: dict | None = {} if with_roles or roles == HINTED else None
    if roles != RULES:
        cleaned.lines = split_lines(cleaned.lines, cleaned.simplified, report)
    labels = _line_roles(cleaned, report, roles, model, by_start) if roles != RULES else None
    _punctuate_all(cleaned, report)

    structure, line_roles = _structure(cleaned, labels, roles, report, with_roles, by_start, corrections)
    _declared_in_preface(structure.collection, report)
    script_of = _ScriptOf(cleaned.simplified)
    essays = _drafts(structure, extraction.text, script_of)
    _mark_truncated(essays, report)
    _check_lengths(essays, name, report)
    _suggest_themes(structure, essays, cleaned)
    collection = structure.collection
    collection.script = script_of("\n".join(e.body for e in essays)[:SCRIPT_SAMPLE] or collection.title or "")
    return ParsedDocument(
        name=name,
        text=extraction.text,
        encoding=extraction.encoding,
        format=extraction.format,
        collection=collection,
        essays=essays,
        report=report,
        line_roles=line_roles,
    )


def _punctuate_all(cleaned, report: Report) -> None:
    from . import normalize

    _punctuate(cleaned.lines, report)
    if cleaned.front_title:
        cleaned.front_title = normalize.punctuation(cleaned.front_title, report)
    if cleaned.preface_topic:
        cleaned.preface_topic = normalize.punctuation(cleaned.preface_topic, report)


def _structure(cleaned, labels, roles: str, report: Report, with_roles: bool, by_start, corrections):
    """The collection and its essays, by the rules (hinted by the model's roles) or assembled
    from the model's roles; with every line's role and the editor's corrections when asked."""
    from .segment import segment

    if labels is None:
        structure = segment(cleaned.lines, cleaned, report)
    elif roles == HINTED:
        from .roles.overrides import overrule

        _hint_lines(cleaned.lines, labels)
        structure = overrule(segment(cleaned.lines, cleaned, report), cleaned, by_start, report)
    else:
        from .roles.assemble import assemble

        structure = assemble(cleaned.lines, cleaned, labels, report)
    line_roles = []
    if with_roles:
        from .roles.editing import derive, reassemble

        line_roles = derive(structure, cleaned, by_start or {})
        if corrections:
            structure = reassemble(structure, cleaned, line_roles, corrections, report)
    return structure, line_roles


MAX_DECLARED = 30  # more is the count of a contest's entries ("共收到征文近400篇"), not of a page's


def _declared_in_preface(collection, report: Report) -> None:
    """The count of essays the editor's lead-in gives ("小编整理的观后感3篇", "为您整理了5篇"),
    where the title gave none: one count of two or more ("写出一篇好文章" counts nothing)."""
    if collection.declared_essay_count is not None or not collection.description:
        return
    from .doc_head import DECLARED
    from .prose import cn_number
    from .script import to_simplified

    counts = {cn_number(m.group("n")) for m in DECLARED.finditer(to_simplified(collection.description))}
    counts = {n for n in counts if n and 1 < n <= MAX_DECLARED}
    if len(counts) == 1:
        collection.declared_essay_count = counts.pop()
        report.count("essay count from the preface")


class _ScriptOf:
    """An essay's script, told from a sample of its text (a lone essay's sample is the
    collection's, asked again)."""

    def __init__(self, simplified: bool):
        self.simplified = simplified  # no character t2s would change
        self.scripts: dict[str, str] = {}

    def __call__(self, body: str) -> str:
        from .script import SIMPLIFIED, detect_script

        if self.simplified and HAN.search(body):
            return SIMPLIFIED
        sample = body[:SCRIPT_SAMPLE]
        script = self.scripts.get(sample)
        if script is None:
            script = self.scripts[sample] = detect_script(sample)
        return script


def _drafts(structure, source_text: str, script_of: _ScriptOf) -> list[EssayDraft]:
    source_lines = source_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = structure.lines
    essays: list[EssayDraft] = []
    for e in structure.essays:
        body = "\n".join(lines[i].text for i in e.body)
        span = [lines[i] for i in e.lines]
        source = "\n".join(source_lines[span[0].start : span[-1].end + 1]) if span else ""
        draft = EssayDraft(
            title=e.title,
            body=body,
            title_generated=e.title_generated,
            subtitle=e.subtitle,
            author=e.author,
            organization=e.organization,
            is_fragment=e.is_fragment,
            script=script_of(body),
            warnings=list(e.warnings),
            source_text=source,
        )
        essays.append(draft)
    return essays


def _mark_truncated(essays: list[EssayDraft], report: Report) -> None:
    """A document cut off mid-sentence (a preview or an excerpt)."""
    from .prose import ends_terminal

    if essays and essays[-1].body:
        last = essays[-1]
        body_lines = last.body.split("\n")
        verse = sum(1 for b in body_lines if len(b) <= 12) > len(body_lines) / 2
        if not ends_terminal(body_lines[-1]) and not verse:
            message = "truncated: the text ends mid-sentence"
            last.is_fragment = True
            if message not in last.warnings:
                last.warnings.append(message)
            report.warn(message)
            report.count("truncated document")


def _check_lengths(essays: list[EssayDraft], name: str, report: Report) -> None:
    for draft in essays:
        if len(draft.body) > UNSPLIT_TEXT:
            raise IngestError(
                name,
                f"有一篇正文长达 {len(draft.body):,} 字（上限 {UNSPLIT_TEXT:,} 字），不像一篇文章，"
                "未导入；请先把文件分成篇目，或去掉不属于正文的内容",
            )
        if len(draft.body) > LONG_ESSAY:
            message = f"正文长达 {len(draft.body):,} 字，超过 {LONG_ESSAY:,} 字：可能未正确分篇，请编辑核查"
            draft.warnings.append(message)
            report.warn(message)


def _suggest_themes(structure, essays: list[EssayDraft], cleaned) -> None:
    from . import themes
    from .script import to_simplified

    simp = structure.simplified
    for e, draft in zip(structure.essays, essays, strict=True):
        title = draft.title or ""
        body = "\n".join(simp[i] for i in e.body)  # already converted once by segment
        if not cleaned.simplified:
            title = to_simplified(title)
        draft.themes = themes.suggest_themes(title, body, cleaned.keywords, simplified=True)
