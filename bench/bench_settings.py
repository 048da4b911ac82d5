"""Settings for benchmark servers: egov's settings with the benchmark URLs added."""

from egov.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
