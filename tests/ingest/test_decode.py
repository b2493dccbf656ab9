"""decode_bytes: which encoding a plain-text file is in, and when to refuse it."""

from pathlib import Path

import pytest

from essays.ingest.decode import decode_bytes
from essays.ingest.model import IngestError
from essays.ingest.script import to_traditional

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
ENCODINGS = ["utf-8", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be"]


def seed_text(path: Path, encoding: str) -> str:
    """The seed as it survives `encoding` (Big5 has only traditional characters, and not all)."""
    text = path.read_text("utf-8")
    if encoding == "big5":
        text = to_traditional(text)
    return text.encode(encoding, errors="ignore").decode(encoding)


def prefix_within(text: str, encoding: str, size: int) -> str:
    """The longest prefix whose encoding fits in `size` bytes: cut at a character boundary."""
    bare = "utf-16-le" if encoding == "utf-16" else encoding
    budget = size - (2 if encoding == "utf-16" else 0)
    used = 0
    for i, ch in enumerate(text):
        used += len(ch.encode(bare))
        if used > budget:
            return text[:i]
    return text


def short_pieces(length_range=range(6, 21)) -> list[str]:
    """Title-sized pieces of the seeds that are not plain ASCII: short lines, slices of text."""
    pieces = []
    for path in SEEDS:
        for line in path.read_text("utf-8").split("\n"):
            line = line.strip()
            if len(line) in length_range:
                pieces.append(line)
            elif len(line) > 40:
                pieces.extend(line[i : i + 6 + i % 15] for i in range(0, len(line) - 21, 131))
    return [piece for piece in pieces if not piece.isascii()]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_a_whole_seed_decodes_back_in_every_supported_encoding(path, encoding):
    text = seed_text(path, encoding)
    decoded, _ = decode_bytes(text.encode(encoding), path.name)
    assert decoded == text


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_a_200_byte_prefix_decodes_back_in_every_supported_encoding(path, encoding):
    text = prefix_within(seed_text(path, encoding), encoding, 200)
    decoded, _ = decode_bytes(text.encode(encoding), path.name)
    assert decoded == text


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("gb18030", "gb18030"), ("big5", "big5"), ("utf-8", "utf-8"), ("utf-16", "utf-16")],
)
def test_the_encoding_label_names_the_detected_encoding(encoding, label):
    text = seed_text(SEEDS[1], encoding)
    assert decode_bytes(text.encode(encoding), "x.txt")[1] == label


def test_gbk_text_is_always_labelled_gb18030_never_gbk_or_gb2312():
    _, label = decode_bytes("学习贯彻党的二十大精神心得体会".encode("gbk"), "x.txt")
    assert label == "gb18030"


def test_a_short_gbk_line_never_comes_back_as_big5():
    wrong = [
        piece
        for piece in short_pieces()
        if decode_bytes(piece.encode("gb18030"), "x.txt") != (piece, "gb18030")
    ]
    assert wrong == []


def test_short_big5_lines_are_recognised_as_big5():
    pieces = [to_traditional(piece) for piece in short_pieces()]
    pieces = [p for p in pieces if p == p.encode("big5", errors="ignore").decode("big5")]
    right = sum(decode_bytes(p.encode("big5"), "x.txt") == (p, "big5") for p in pieces)
    assert right >= 0.98 * len(pieces)


@pytest.mark.parametrize(
    ("bom", "encoding", "label"),
    [
        (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le", "utf-16"),
        (b"\xfe\xff", "utf-16-be", "utf-16"),
        (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    ],
)
def test_a_byte_order_mark_decides_the_encoding_and_is_not_part_of_the_text(bom, encoding, label):
    assert decode_bytes(bom + "心得体会".encode(encoding), "x.txt") == ("心得体会", label)


def test_utf8_cut_in_the_middle_of_the_last_character_is_refused_naming_the_file():
    with pytest.raises(IngestError, match=r"^cut\.txt: the text is cut off .* utf-8"):
        decode_bytes("学习心得".encode()[:-1], "cut.txt")


def test_gbk_cut_in_the_middle_of_the_last_character_is_refused_as_truncated_gb18030():
    data = "我们要认真学习党的理论知识，加强党性修养".encode("gbk")[:-1]
    with pytest.raises(IngestError, match=r"^cut\.txt: the text is cut off .* gb18030"):
        decode_bytes(data, "cut.txt")


def test_an_empty_file_is_refused_naming_the_file():
    with pytest.raises(IngestError) as error:
        decode_bytes(b"", "empty.txt")
    assert error.value.name == "empty.txt"
    assert error.value.reason == "the file is empty"


def test_a_file_with_only_a_byte_order_mark_is_refused_as_empty():
    with pytest.raises(IngestError, match="the file is empty"):
        decode_bytes(b"\xef\xbb\xbf", "bom.txt")


def test_an_image_is_refused_as_binary_data():
    with pytest.raises(IngestError, match=r"looks like binary data \(a PNG image\)"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "scan.txt")


def test_bytes_full_of_nul_that_are_not_utf16_are_refused_as_binary_data():
    with pytest.raises(IngestError, match="looks like binary data"):
        decode_bytes(bytes(range(256)) * 8, "blob.txt")


def test_many_control_bytes_are_refused_as_binary_data():
    with pytest.raises(IngestError, match="looks like binary data"):
        decode_bytes(b"\x01\x02\x03\x04abc" * 50, "blob.txt")


def test_bytes_in_no_supported_encoding_are_refused_in_plain_english():
    with pytest.raises(IngestError) as error:
        decode_bytes(b"abc\x80\x80\xff\xff", "odd.txt")
    assert error.value.reason == "not valid UTF-8, UTF-16, GB18030 or Big5"
    assert "\n" not in str(error.value)


def test_bom_less_utf16_of_a_short_chinese_line_with_one_ascii_character_is_found():
    text = "一篇心得:"
    assert decode_bytes(text.encode("utf-16-le"), "x.txt") == (text, "utf-16-le")
