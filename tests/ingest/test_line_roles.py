"""The line-role model: its corpus, its training and what it does inside the import."""

import json
from pathlib import Path

from essays.ingest import parse_document
from essays.ingest.roles import check, corpus, tag, train
from essays.ingest.script import to_simplified

DEVSET = corpus.CORPUS  # the devset's documents are in the corpus


def write_doc(root: Path, name: str, text: str, truth: dict) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "truth").mkdir(parents=True, exist_ok=True)
    (root / "docs" / f"{name}.txt").write_text(text, "utf-8")
    (root / "truth" / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False), "utf-8")


PAGE = (
    "首页 > 心得体会 > 正文\n"
    "学习体会\n"
    "县财政局 王明\n"
    "今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。\n"
    "我们还要加强学习，不断提高自己的本领。\n"
    "上一篇：没有了\n"
)
PAGE_TRUTH = {
    "collection_title": "学习体会",
    "essays": [
        {
            "title": "学习体会",
            "author": "王明",
            "organization": "县财政局",
            "byline_raw": "县财政局 王明",
            "starts_with": "今天我们学习了党章，收获很大",
            "ends_with": "不断提高自己的本领。",
        }
    ],
    "chrome_lines": ["首页 > 心得体会 > 正文", "上一篇：没有了"],
}


def test_every_document_of_the_corpus_agrees_with_its_truth_and_manifest():
    assert check.check_corpus(corpus.CORPUS) == []


def test_the_checker_names_a_span_that_is_not_in_the_text_and_a_chrome_piece_of_a_line(tmp_path):
    truth = dict(PAGE_TRUTH, chrome_lines=["首页 > 心得体会"])
    truth["essays"] = [dict(PAGE_TRUTH["essays"][0], ends_with="这句话不在文中。")]
    write_doc(tmp_path, "g9-001", PAGE, truth)
    problems = check.check_corpus(tmp_path)
    assert any("ends_with not in the text" in p for p in problems)
    assert any("chrome line is not a whole line" in p for p in problems)
    assert any("no manifest row" in p for p in problems)


def test_truth_becomes_one_role_per_line(tmp_path):
    write_doc(tmp_path, "g9-001", PAGE, PAGE_TRUTH)
    [doc] = corpus.load(tmp_path)
    roles = [r for r in corpus.line_roles(doc) if r]
    assert roles == ["chrome", "title", "byline", "start", "body", "chrome"]


def test_an_essay_whose_start_is_not_in_the_text_does_not_lend_its_truth_to_the_next(tmp_path):
    text = "读书心得两篇\n今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。\n——县财政局 王明\n"
    lost = {"title": None, "author": "李红", "starts_with": "这一句不在文中", "ends_with": "也不在。"}
    found = {
        "title": None,
        "author": "王明",
        "organization": "县财政局",
        "byline_raw": "——县财政局 王明",
        "starts_with": "今天我们学习了党章，收获很大",
        "ends_with": "做好各项工作。",
    }
    write_doc(tmp_path, "g9-001", text, {"collection_title": "读书心得两篇", "essays": [lost, found]})
    [doc] = corpus.load(tmp_path)
    # the closing signature is the second essay's (王明), not the unplaced first one's (李红)
    assert [r for r in corpus.line_roles(doc) if r][1:] == ["start", "byline"]
    assert doc.unplaced == ["start '这一句不在文中'"]


def test_training_is_deterministic_and_the_model_labels_what_it_was_taught(tmp_path):
    for n in range(6):
        write_doc(tmp_path / "corpus", f"g9-{n:03}", PAGE, PAGE_TRUTH)
    docs = corpus.load(tmp_path / "corpus")
    first = train.train(docs, tmp_path / "a.crfsuite")
    second = train.train(docs, tmp_path / "b.crfsuite")
    assert first.read_bytes() == second.read_bytes()
    # the model reads what the rules' cleaning left: the breadcrumb and 上一篇 are gone already
    view, gold = corpus.cleaned_roles(docs[0])
    labels = tag.label_lines(view, first)
    assert [x[0] for x in labels if x] == [r for r in gold if r] == ["title", "byline", "start", "body"]


def test_the_shipped_model_takes_out_a_download_sites_furniture_that_the_rules_keep():
    data = (DEVSET / "docs" / "dev-120.txt").read_bytes()
    rules = parse_document(data, "dev-120.txt", roles="rules")
    model = parse_document(data, "dev-120.txt", roles="hinted")
    texts = lambda doc: [  # noqa: E731
        to_simplified(line) for e in doc.essays for line in (e.title or "", *e.body.split("\n"))
    ]
    assert "下载本文档" in texts(rules) and "文档简介" in texts(rules)
    assert "下载本文档" not in texts(model) and "文档简介" not in texts(model)
    assert model.report.counts["chrome line removed: line-role model"] >= 2


def test_a_title_with_its_byline_stays_whatever_the_model_thinks_of_a_short_text():
    text = "坚定理想信念 勇于担当作为\n（在全县青年干部座谈会上的发言）\n县财政局 王明\n今天我们学习了党章，收获很大。\n"
    [essay] = parse_document(text.encode(), "speech.txt").essays
    assert (essay.title, essay.subtitle) == ("坚定理想信念 勇于担当作为", "（在全县青年干部座谈会上的发言）")
    assert (essay.author, essay.organization) == ("王明", "县财政局")


def test_without_a_model_file_the_rules_decide(tmp_path):
    text = PAGE.encode()
    missing = tmp_path / "none.crfsuite"
    assert [e.body for e in parse_document(text, "p.txt", model=missing).essays] == [
        e.body for e in parse_document(text, "p.txt", roles="rules").essays
    ]


def test_the_shipped_model_is_what_the_train_command_makes_of_the_corpus(tmp_path):
    """A changed corpus or feature without a retrained model file fails here:
    `python -m essays.ingest.roles.train` rebuilds it."""
    built = train.train(corpus.load(), tmp_path / "model.crfsuite")
    assert built.read_bytes() == tag.MODEL.read_bytes()


def test_a_meta_line_the_model_takes_out_still_names_the_author():
    # "作者: 阮文琦 上一篇 下一篇": page furniture around a byline; whether the model removes it
    # as chrome or segment reads it as the byline, the essay is signed
    path = corpus.CORPUS / "docs" / "g7-023.txt"
    [essay] = parse_document(path.read_bytes(), path.name).essays
    assert (essay.title, essay.author) == ("用脚步丈量梦想", "阮文琦")
