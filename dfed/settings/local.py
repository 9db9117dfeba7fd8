"""Embedded default for a newcomer's machine: SQLite and eager Celery unless the environment
names PostgreSQL and Redis; console SMS; demo data allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
DEMO_ALLOWED = True
SHOW_DEMO_USERS = True
