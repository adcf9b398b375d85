"""Development profile (the default): SQLite, local index and PKI in the data directory.

DEBUG is off unless RECTORATE_DEBUG=1: the demo is reached by visitors, and Django's debug pages
list every URL pattern and settings. Static files are then served by the URL map (runserver).
"""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("RECTORATE_DEBUG", "") == "1"
RECTORATE_SERVE_STATIC = True
