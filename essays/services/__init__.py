"""Every write to the database goes through a function here.

The admin, the management commands and the tests share these, so nothing is written in two
different ways.
"""

from .curation import *  # noqa: F403
from .importing import *  # noqa: F403
