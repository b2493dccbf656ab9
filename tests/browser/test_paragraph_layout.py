"""The hidden ¶ link after each paragraph takes no room in the text: a paragraph whose last
line is full used to push it onto a line of its own, which read as a missing paragraph."""

import pytest

from essays.models import Essay, Status
from essays.services import import_paths
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db(transaction=True)

# Each paragraph's height, then its height once the ¶ link is gone from the page.
HEIGHTS = """() => [...document.querySelectorAll('.essay-body p')].map(p => {
  const withLink = p.getBoundingClientRect().height;
  const link = p.querySelector('.para-anchor');
  const parent = link && link.parentNode;
  if (link) link.remove();
  const without = p.getBoundingClientRect().height;
  if (link) parent.appendChild(link);
  return [p.id, withLink, without];
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_paragraph_link_never_takes_a_line_of_its_own(live_server, page, screenshot, width):
    assert all(o.ok for o in import_paths([str(SEEDS)], status=Status.PUBLISHED))
    page.set_viewport_size({"width": width, "height": 900})
    grown = []
    paragraphs = 0
    for essay in Essay.objects.order_by("pk"):
        page.goto(live_server.url + essay.get_absolute_url())
        heights = page.evaluate(HEIGHTS)
        paragraphs += len(heights)
        grown += [(essay.pk, pid) for pid, with_link, without in heights if with_link > without + 0.5]
    page.goto(live_server.url + Essay.objects.order_by("pk").first().get_absolute_url() + "#p2")
    screenshot(f"paragraph-link-{width}")

    assert paragraphs > 100
    assert grown == []
    # …and it is still there to be found: shown on hover, a link to the paragraph
    first = page.locator(".essay-body p").first
    first.hover()
    assert first.locator(".para-anchor").get_attribute("href") == "#p1"
    box, text = first.locator(".para-anchor").bounding_box(), first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # on the screen, no sideways scroll
    assert text["y"] <= box["y"] <= text["y"] + text["height"]
