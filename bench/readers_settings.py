"""The platform's settings for the readers benchmark's daphne process, with one change: how it reaches PostgreSQL.

Under ASGI every concurrent request runs in a thread of its own, and on main each keeps its connection
(CONN_MAX_AGE 60), so 50 readers would take 50 and more of PostgreSQL's connections on a machine others share.
The bounded psycopg pool of issue 8 item 2 (another branch) is what production will use: when `psycopg_pool` can
be imported (`--pool-path` of the benchmark), the connections come from such a pool of at most 8; otherwise every
request opens and closes its own (CONN_MAX_AGE 0), which costs it a PostgreSQL backend start."""

import importlib.util

from config.settings import *  # noqa: F403

if importlib.util.find_spec("psycopg_pool") is not None and DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 8, "timeout": 30}  # noqa: F405
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
