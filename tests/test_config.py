"""Settings: every one the code reads is documented, and production refuses unfit secrets."""
import re
import runpy
from pathlib import Path

import pytest

import config
from lab import create_app

ROOT = Path(__file__).resolve().parents[1]
READERS = [ROOT / "config.py", ROOT / "wsgi.py", *ROOT.glob("deploy/*.py"),
           *ROOT.glob("lab/**/*.py"), ROOT / "tests" / "conftest.py"]
NAME = r"""["']([A-Z][A-Z0-9_]*)["']"""
READ = re.compile(rf"(?:\benv|_bool|_list|os\.environ\.get|os\.getenv)\(\s*{NAME}"
                  rf"|os\.environ\[\s*{NAME}\s*\]")
LISTED = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)
SET_BY_TOOLS = {"PYTEST_XDIST_WORKER"}  # pytest-xdist names each worker: not a setting
REAL_SECRET = "x7Jq2-a-real-secret-of-forty-bytes-9Lm4"


def settings_read() -> set[str]:
    names = set()
    for path in READERS:
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return names - SET_BY_TOOLS


def settings_listed() -> set[str]:
    return set(LISTED.findall(config.ENV_EXAMPLE.read_text(encoding="utf-8")))


def test_every_setting_the_code_reads_is_in_env_example():
    assert settings_read() - settings_listed() == set()


def test_every_setting_in_env_example_is_read_by_the_code():
    assert settings_listed() - settings_read() == set()


def test_the_rooms_settings_are_read_by_the_config(monkeypatch):
    monkeypatch.setenv("ROOMS_FLOOD_LIMIT", "3")
    monkeypatch.setenv("ROOMS_REDIS_PREFIX", "other:")
    fresh = runpy.run_path(config.__file__)  # the module as a new process would read it
    assert fresh["Config"].ROOMS_FLOOD_LIMIT == 3
    assert fresh["Config"].ROOMS_REDIS_PREFIX == "other:"


def example_secret() -> str:
    return re.search(r"^SECRET_KEY=(.*)$", config.ENV_EXAMPLE.read_text(), re.MULTILINE).group(1)


@pytest.mark.parametrize("secret", [example_secret(), "short-but-not-the-default", "x" * 31,
                                    config.DEFAULT_SECRET_KEY])
def test_production_refuses_an_example_or_short_secret(monkeypatch, app, secret):
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_accepts_a_long_unpublished_secret():
    assert config.secret_key_problem(REAL_SECRET) is None
