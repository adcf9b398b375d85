"""Development profile (the default): SQLite, local index and PKI in the data directory."""

from .base import *  # noqa: F403

DEBUG = True
