"""Near-duplicates and shared passages, without Django: normalising, Jaccard, LSH, passages."""

import numpy as np
import pytest

from essays.dedup import compare, find_pairs, finder, sketch_texts
from essays.dedup.candidates import pairs_sharing
from essays.dedup.fingerprints import sliding_min
from essays.dedup.hashing import kgram_hashes
from essays.dedup.minhash import estimate
from essays.dedup.normalize import normalise, normalise_batch
from essays.dedup.passages import common_runs
from essays.dedup.settings import PASSAGE, THRESHOLD
from tests.dedup.texts import jaccard, random_han, traditional, with_punctuation


@pytest.fixture
def rng():
    return np.random.default_rng(4)


# Normalising ------------------------------------------------------------------------------


def test_normalised_text_is_script_and_punctuation_blind():
    simplified = "党的建设，要以学习为先。\n加强ＡＢＣ能力 2023"
    written_traditional = "黨的建設、要以學習為先！加強abc能力2023"
    assert (
        normalise(simplified).text
        == normalise(written_traditional).text
        == "党的建设要以学习为先加强abc能力2023"
    )


def test_offsets_point_at_the_original_characters():
    text = "「黨的建設」，\n要以學習為先。"
    normalised = normalise(text)
    assert [text[i] for i in normalised.offsets] == list("黨的建設要以學習為先")


def test_a_batch_normalises_each_text_as_alone():
    texts = ["黨建，工作", "", "。。", "学习 强国"]
    codes, bounds = normalise_batch(texts)
    joined = codes.tobytes().decode("utf-32-le")
    parts = [joined[bounds[i] : bounds[i + 1]] for i in range(len(texts))]
    assert parts == [normalise(t).text for t in texts] == ["党建工作", "", "", "学习强国"]


# Jaccard and the threshold ----------------------------------------------------------------


def test_a_copy_in_the_other_script_with_other_punctuation_is_identical(rng):
    text = random_han(rng, 600)
    comparison = compare(with_punctuation(text, 12), traditional(with_punctuation(text, 17)))
    assert comparison.similarity == 1.0
    assert comparison.near_duplicate


def test_similarity_is_the_exact_jaccard_of_5_gram_shingles(rng):
    text = random_han(rng, 400)
    edited = text[:100] + random_han(rng, 10) + text[110:300] + text[320:]
    assert compare(text, edited).similarity == pytest.approx(jaccard(text, edited))


@pytest.mark.parametrize(("edits", "near"), [(9, True), (14, False)])
def test_near_duplicate_means_jaccard_at_least_0_8(rng, edits, near):
    # Each changed character far from the others removes 5 shingles from 496 and adds 5:
    # 9 edits give J = 451/541 = 0.834, 14 give J = 426/566 = 0.753.
    text = random_han(rng, 500)
    chars = list(text)
    for k in range(edits):
        chars[20 + 30 * k] = "〇"
    edited = "".join(chars)
    comparison = compare(text, edited)
    assert comparison.similarity == pytest.approx(jaccard(text, edited))
    assert (comparison.similarity >= THRESHOLD) is near
    assert comparison.near_duplicate is near


def test_minhash_estimates_the_jaccard(rng):
    text = random_han(rng, 3000)
    edited = "".join(c if k % 60 else "〇" for k, c in enumerate(text))  # J about 0.85
    sketch = sketch_texts([text, edited, random_han(rng, 3000)])
    truth = jaccard(text, edited)
    assert abs(estimate(sketch.signatures[0], sketch.signatures[1]) - truth) < 0.1
    assert estimate(sketch.signatures[0], sketch.signatures[2]) < 0.1


def test_sketching_in_batches_gives_what_one_batch_gives(rng, monkeypatch):
    """Long inputs are sketched SKETCH_CHARS at a time; every text's keys stay the same."""
    texts = [with_punctuation(random_han(rng, int(rng.integers(0, 900)))) for _ in range(40)]
    whole = sketch_texts(texts)
    monkeypatch.setattr(finder, "SKETCH_CHARS", 1000)  # some batches of one text, some of several

    batched = sketch_texts(texts)

    for field in ("signatures", "shingles", "band_keys", "fingerprint_keys", "fingerprint_owners"):
        assert np.array_equal(getattr(batched, field), getattr(whole, field)), field
    assert [batched.keys_of(i) for i in range(40)] == [whole.keys_of(i) for i in range(40)]


def test_texts_too_short_to_shingle_propose_nothing():
    sketch = sketch_texts(["", "一二", "，。"])
    assert sketch.shingles.tolist() == [0, 0, 0]
    assert all(sketch.keys_of(i) == [] for i in range(3))


# LSH: candidates without an all-pairs loop ------------------------------------------------


def test_lsh_finds_the_planted_pairs_and_nothing_else(rng):
    texts = {i: with_punctuation(random_han(rng, int(rng.integers(300, 2500)))) for i in range(400)}
    # Distinct sources, so no two planted texts are related through a common source.
    sources = rng.choice(400, size=40, replace=False).tolist()
    planted_near = []
    for i in range(400, 420):  # edited copies, a third of them in Traditional
        source = sources[i - 400]
        chars = list(texts[source])
        for position in rng.choice(len(chars), size=len(chars) // 200, replace=False):
            chars[position] = "〇"
        copy = "".join(chars)
        texts[i] = traditional(copy) if i % 3 == 0 else copy
        planted_near.append((source, i))
    planted_passages = []
    for i in range(420, 440):  # a fresh text carrying 80-260 characters of an older one
        source = sources[i - 400]
        start = int(rng.integers(0, 200))
        passage = texts[source][start : start + int(rng.integers(80, 260))]
        own = random_han(rng, 800)
        texts[i] = own[:300] + "\n" + passage + "\n" + own[300:]
        planted_passages.append((source, i))

    found = find_pairs(texts.items(), lambda ids: {i: texts[i] for i in ids}, batch=64)

    near = {(a, b) for a, b, c in found.pairs if c.near_duplicate}
    shared = {(a, b) for a, b, c in found.pairs if c.passages}
    assert near == {tuple(sorted(p)) for p in planted_near if jaccard_of(texts, p) >= THRESHOLD}
    assert len(near) >= 18
    assert {tuple(sorted(p)) for p in planted_passages} <= shared
    assert shared - near - {tuple(sorted(p)) for p in planted_passages} == set()
    # Proposed pairs stay in proportion to the planted ones, far from 440 * 439 / 2.
    assert found.timings.candidates < 200


def jaccard_of(texts, pair):
    return compare(texts[pair[0]], texts[pair[1]]).similarity


def test_pairs_sharing_skips_stock_phrases_and_links_big_groups_to_one_member():
    keys = np.array([7, 7, 7, 9, 9, 5, 5, 5, 5], dtype=np.int64)
    owners = np.array([1, 2, 3, 4, 5, 10, 11, 12, 13], dtype=np.int64)
    assert pairs_sharing(keys, owners).tolist() == [
        [1, 2], [1, 3], [2, 3], [4, 5], [10, 11], [10, 12], [10, 13], [11, 12], [11, 13], [12, 13]
    ]  # fmt: skip
    assert pairs_sharing(keys, owners, skip_above=3).tolist() == [[1, 2], [1, 3], [2, 3], [4, 5]]
    assert pairs_sharing(keys, owners, star_above=3).tolist() == [
        [1, 2], [1, 3], [2, 3], [4, 5], [10, 11], [10, 12], [10, 13]
    ]  # fmt: skip


# Shared passages --------------------------------------------------------------------------


def test_a_shared_passage_is_found_with_offsets_in_both_originals(rng):
    passage = random_han(rng, 80)
    a = "前言。" + random_han(rng, 300) + "\n" + with_punctuation(passage, 9) + "後記" + random_han(rng, 200)
    b = random_han(rng, 150) + "，" + traditional(with_punctuation(passage, 13)) + "。" + random_han(rng, 50)
    (found,) = compare(a, b).passages
    assert found.length == 80
    assert normalise(a[found.a_start : found.a_end]).text == normalise(passage).text
    assert normalise(b[found.b_start : found.b_end]).text == normalise(passage).text
    # The spans start and end on the passage's own characters, not on punctuation around it.
    assert a[found.a_start] == passage[0] and a[found.a_end - 1] == passage[-1]
    assert b[found.b_start] == traditional(passage)[0]


def test_passages_are_maximal_and_each_is_reported(rng):
    first, second = random_han(rng, 70), random_han(rng, 120)
    a = random_han(rng, 100) + first + random_han(rng, 100) + second
    b = second + random_han(rng, 40) + first + random_han(rng, 10)
    passages = compare(a, b).passages
    assert sorted(p.length for p in passages) == [70, 120]
    for p in passages:
        assert a[p.a_start : p.a_end] == b[p.b_start : p.b_end]


@pytest.mark.parametrize(("length", "reported"), [(PASSAGE - 1, False), (PASSAGE, True)])
def test_overlaps_shorter_than_50_characters_are_ignored(rng, length, reported):
    common = random_han(rng, length)
    a = random_han(rng, 200) + common + random_han(rng, 200)
    b = random_han(rng, 100) + common + random_han(rng, 100)
    passages = compare(a, b).passages
    assert bool(passages) is reported
    assert not compare(a, b).near_duplicate


def test_any_shared_50_characters_share_a_winnowed_fingerprint(rng):
    # The winnowing guarantee, which is what lets a passage be found among 100,000 essays.
    for _ in range(30):
        common = random_han(rng, PASSAGE)
        texts = [random_han(rng, int(rng.integers(0, 300))) + common + random_han(rng, 100) for _ in range(2)]
        sketch = sketch_texts(texts)
        assert set(sketch.fingerprints_of(0).tolist()) & set(sketch.fingerprints_of(1).tolist())


def maximal_common_runs(a: str, b: str, min_length: int) -> list[tuple[int, int, int]]:
    """By the definition, character by character: every maximal a[i:i+n] == b[j:j+n], n >= min_length."""
    runs = []
    for i in range(len(a)):
        for j in range(len(b)):
            if (i and j and a[i - 1] == b[j - 1]) or a[i] != b[j]:
                continue  # not the start of a maximal run
            n = 0
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            if n >= min_length:
                runs.append((i, j, n))
    return runs


def test_common_runs_are_every_maximal_common_substring_of_50_or_more(rng):
    # Runs are found by looking up every 26th 25-gram only, then grown character by
    # character; planted runs of every length around the 50 threshold, at every phase
    # against that stride, must come out exactly as the definition says.
    alphabet = random_han(rng, 6)  # a small alphabet: many short chance matches too
    for trial in range(40):
        pieces_a, pieces_b = [], []
        for _ in range(3):
            common = "".join(rng.choice(list(alphabet), int(rng.integers(45, 80))))
            pieces_a += [random_han(rng, int(rng.integers(0, 40))), common]
            pieces_b += [random_han(rng, int(rng.integers(0, 40))), common]
        a, b = "".join(pieces_a), "".join(pieces_b[2:] + pieces_b[:2])
        found = common_runs(normalise(a).codes, normalise(b).codes, PASSAGE)
        assert found == maximal_common_runs(normalise(a).text, normalise(b).text, PASSAGE), trial


# Building blocks --------------------------------------------------------------------------


def test_kgram_hashes_depend_only_on_the_characters(rng):
    text = random_han(rng, 40)
    codes = normalise(text + text).codes
    hashes = kgram_hashes(codes, 16)
    assert (hashes[:25] == hashes[40:65]).all()
    assert len(set(hashes[:25].tolist())) == 25


def test_sliding_min_matches_the_definition(rng):
    values = rng.integers(0, 1000, 257).astype(np.uint64)
    for width in (1, 2, 35, 257):
        expected = [values[i : i + width].min() for i in range(len(values) - width + 1)]
        assert sliding_min(values, width).tolist() == expected


def test_a_text_sketches_the_same_alone_or_in_a_batch(rng):
    passage = random_han(rng, 60)
    texts = [random_han(rng, 400) + passage, passage + random_han(rng, 300), "", "短", random_han(rng, 49)]
    batch = sketch_texts(texts)
    for n, text in enumerate(texts):
        alone = sketch_texts([text])
        assert (alone.signatures[0] == batch.signatures[n]).all()
        assert alone.keys_of(0) == batch.keys_of(n)
    assert batch.fingerprints_of(4).size == 0  # under 50 characters: no window fits


def test_sketching_in_worker_processes_finds_the_same_pairs(rng):
    texts = {i: random_han(rng, 500) for i in range(30)}
    texts[30] = texts[3] + "附记。"
    texts[31] = random_han(rng, 100) + texts[7][100:200] + random_han(rng, 100)

    def load(ids):
        return {i: texts[i] for i in ids}

    alone = find_pairs(texts.items(), load, batch=8)
    pooled = find_pairs(texts.items(), load, batch=8, workers=2)
    assert [(a, b) for a, b, _ in pooled.pairs] == [(a, b) for a, b, _ in alone.pairs] == [(3, 30), (7, 31)]
