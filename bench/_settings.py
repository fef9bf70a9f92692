"""Settings of the benchmark server: the product's settings plus a URL conf with a minimal view.

Used only by bench/members.py (files starting with "_" are not run by `make bench`).
"""

from lvzhi.settings import *  # noqa: F403

ROOT_URLCONF = "bench._urls"
DEBUG = False
AXES_ENABLED = False  # the benchmark logs in through a prepared session, never with a password
LOGGING = {"version": 1, "disable_existing_loggers": False}
