"""The editors' admin: collections, sources, authors, themes and essays.

Declarative on purpose: every write beyond a plain form save goes through
essays.services. Changelists run a fixed number of queries whatever the page size:
related rows are joined (list_select_related) and counts are annotated.

One module per concern; imports run one way, from the model pages (collections, authors,
themes, essays) to what they share (actions, history, imports, duplicates, structure,
sources, lists, forms), never back.
"""

from django.contrib import admin

from ..roles import ReaderLoginForm
from . import authors, collections, essays, logins, themes  # noqa: F401  (registers the model pages)

# The reading site signs in through the admin's login page (LOGIN_URL): let readers in there
# too. The admin's pages still admit staff only.
admin.site.login_form = ReaderLoginForm
# The app list down the left of every page takes a quarter of a laptop's 1280 px, which the
# essay list needs for its columns; the index page and the breadcrumbs lead to every model.
admin.site.enable_nav_sidebar = False
# The index adds the near-duplicates list (a view, not a model) to the import module's index.
admin.site.index_template = "admin/essays/index.html"
