"""How much one source file may make the import do: past these, the file is refused with its
reason instead of hanging the import or filling the memory.

Timings were measured on the 2-core development machine while idle; under heavy load
(load average 6) they took about twice as long. Each limit is set so that the worst file
just under it is read or refused in at most ~6 s idle (~13 s loaded), under the 20 s one
file may take.
"""

MB = 1024 * 1024

# --- .docx (a ZIP: these are checked in its directory before anything is inflated) ----------

# Any one part of the .docx, inflated. python-docx parses its XML whole: ~120 bytes of lxml
# tree per element plus ~100 per Python object made from one, and the smallest element
# (<w:p/>) takes 6 bytes. Worst files just under 20 MB: 3.4 M empty paragraphs 5.7 s and
# 584 MB; 2.5 M tabs in one run 1.8 s and 660 MB; styles.xml of 180,000 styles in one
# basedOn chain 5.5 s and 549 MB. At 50 MB the empty paragraphs took 2.0 GB. A long real
# document is far smaller: 30,000 paragraphs of 60-200 characters make 15 MB (read in 1.0 s).
DOCX_PART_BYTES = 20 * MB

# All parts together, inflated. python-docx keeps a copy of each part and the parts are
# rebuilt once into the ZIP it reads, so about three copies are alive at once (150 MB).
# Pictures do not shrink in a ZIP: the 20 MB upload limit already holds them under this.
DOCX_TOTAL_BYTES = 50 * MB

# Inflated size / compressed size of a part above DOCX_RATIO_FLOOR. Word's XML and text
# compress 2-15:1 (generated essays: 2-10:1); a compression bomb of repeated paragraphs
# compresses 300-700:1 (2 MB of empty paragraphs: 600:1; the 749 KB .docx of 200 MB of
# paragraphs: 270:1). Small parts are left alone: they cannot inflate to much.
DOCX_RATIO = 100
DOCX_RATIO_FLOOR = 1 * MB

# Members of the ZIP. Word writes 10-20 parts plus one per picture.
DOCX_PARTS = 1_000

# What the import reads one by one from the document, each paid for before it is read: a
# paragraph costs 1 plus its runs and hyperlinks, a table row or cell 1, one row's step up a
# vertically merged cell DOCX_MERGE_STEP. Python-docx and the reader spend ~20 µs an item
# (the old code 730 µs a paragraph: 50,000 small paragraphs took 38 s). Worst files just
# under DOCX_PART_BYTES, refused at this limit: 520,000 two-character paragraphs 5.4 s and
# 431 MB; 300,000 table cells 5.8 s; 800,000 runs in one paragraph or one hyperlink 0.5 s
# (counted before they are read). A Word paragraph has a run per change of formatting, a
# few items in all, so this is still tens of thousands of paragraphs: far more than any
# collection of essays.
DOCX_ITEMS = 400_000

# A step up a vertically merged cell (python-docx's two XPath queries to find the cell above)
# costs ~8 items: 100,000 rows of one merged cell are refused at DOCX_ITEMS after 2.9 s.
DOCX_MERGE_STEP = 8

# --- HTML -----------------------------------------------------------------------------------

# Start tags of a page, counted before it is parsed. BeautifulSoup spends ~25 µs and ~1.2 KB
# an element; every walk over the tree is linear, however deep it nests. Worst pages just
# under the limit: 100,000 unclosed <font> lines with a <br> each 5.2 s and 284 MB; 200,000
# sibling <div>s 4.0 s; 199,000 nested <div>s 2.3 s (100,000: 1.2 s). An essay page, its
# chrome included, has a few thousand tags; the whole Rust book on one page has 24,500. The 20 MB upload limit would
# otherwise let in ~6 M tags: minutes and gigabytes.
HTML_TAGS = 200_000
