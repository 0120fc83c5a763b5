"""Settings from the environment: defaults, loud failures naming the variable, a deploy check that passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_config, env_bool, env_int, env_list, env_seconds, env_timezone, env_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)])
def test_booleans(raw: str, expected: bool) -> None:
    assert env_bool("DEBUG", False, {"DEBUG": raw}) is expected


def test_a_malformed_boolean_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture'"):
        env_bool("DEBUG", False, {"DEBUG": "ture"})


def test_urls_are_checked_for_scheme_and_port() -> None:
    assert env_url("REDIS_URL", {"redis"}, {}) is None
    assert env_url("REDIS_URL", {"redis"}, {"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with"):
        env_url("REDIS_URL", {"redis"}, {"REDIS_URL": "http://x"})
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is not a valid URL"):
        env_url("DATABASE_URL", {"postgres"}, {"DATABASE_URL": "postgres://h:port/db"})


def test_lists_and_time_zones() -> None:
    assert env_list("ALLOWED_HOSTS", ["x"], {"ALLOWED_HOSTS": "a.cn, b.cn,"}) == ["a.cn", "b.cn"]
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", ["x"], {"ALLOWED_HOSTS": " , "})
    assert env_timezone("TIME_ZONE", "Asia/Shanghai", {}) == "Asia/Shanghai"
    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE='Mars/Base'"):
        env_timezone("TIME_ZONE", "Asia/Shanghai", {"TIME_ZONE": "Mars/Base"})


def test_no_database_url_means_the_sqlite_file_in_var() -> None:
    config = database_config(None, str(ROOT / "var" / "platform.sqlite3"))
    assert config["ENGINE"] == "django.db.backends.sqlite3" and config["NAME"].endswith("var/platform.sqlite3")
    pg = database_config("postgres://postgres@127.0.0.1:5432/test", "unused")
    assert pg["ENGINE"] == "django.db.backends.postgresql" and pg["NAME"] == "test"


def test_a_sqlite_url_gets_the_embedded_files_options() -> None:
    """Without IMMEDIATE transactions and a busy timeout, concurrent marks on `DATABASE_URL=sqlite:///…` failed at
    once with "database is locked" (found by simulate_marking)."""
    config = database_config("sqlite:////srv/other/demo.sqlite3", "unused")
    embedded = database_config(None, "unused")
    assert config["NAME"] == "/srv/other/demo.sqlite3"
    assert config["OPTIONS"] == embedded["OPTIONS"] and config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_pool_sizes_and_timeouts_are_numbers_or_an_error_naming_them() -> None:
    assert env_int("DATABASE_POOL_MAX_SIZE", 10, 1, {}) == 10
    assert env_int("DATABASE_POOL_MAX_SIZE", 10, 1, {"DATABASE_POOL_MAX_SIZE": " 4 "}) == 4
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_MAX_SIZE='ten' is not a whole number"):
        env_int("DATABASE_POOL_MAX_SIZE", 10, 1, {"DATABASE_POOL_MAX_SIZE": "ten"})
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_MAX_SIZE='0' is below its minimum of 1"):
        env_int("DATABASE_POOL_MAX_SIZE", 10, 1, {"DATABASE_POOL_MAX_SIZE": "0"})
    assert env_seconds("DATABASE_POOL_TIMEOUT", 30.0, {"DATABASE_POOL_TIMEOUT": "2.5"}) == 2.5
    for bad in ("-1", "0", "inf", "nan", "soon"):
        with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_TIMEOUT"):
            env_seconds("DATABASE_POOL_TIMEOUT", 30.0, {"DATABASE_POOL_TIMEOUT": bad})
    pg = database_config("postgres://postgres@127.0.0.1:5432/test", "unused",
                         pool={"min_size": 1, "max_size": 4, "timeout": 5.0})
    assert pg["CONN_MAX_AGE"] == 0 and pg["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 5.0}
    with pytest.raises(ImproperlyConfigured, match=r"MIN_SIZE \(5\) is above DATABASE_POOL_MAX_SIZE \(4\)"):
        database_config("postgres://postgres@127.0.0.1:5432/test", "unused",
                        pool={"min_size": 5, "max_size": 4, "timeout": 5.0})


def _start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    unset = {"DEBUG", "SECRET_KEY", "SECURE_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set the last
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_start_up_without_secret_key_outside_debug_fails_naming_it() -> None:
    result = _start({}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_start_up_with_a_bad_variable_fails_naming_it() -> None:
    result = _start({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr
    result = _start({"DEBUG": "true", "REDIS_URL": "memcached://x"}, "check")
    assert result.returncode != 0 and "REDIS_URL must start with" in result.stderr


def test_production_settings_pass_the_deploy_check() -> None:
    result = _start(
        {"SECRET_KEY": "p" * 20 + "-production-like-secret-" + "q" * 30, "ALLOWED_HOSTS": "jineng.example.cn",
         "DEBUG": "false"},
        "check", "--deploy", "--fail-level", "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
