"""Set-up commands: create-admin and seed-demo."""
import contextvars

import pytest
from sqlalchemy import func, select

from lab import create_app
from lab.accounts.models import User
from lab.accounts.services import user_by_email
from lab.extensions import db


def test_create_admin_asks_for_a_password(runner):
    result = runner.invoke(args=["lab", "create-admin", "capo@example.org"],
                           input="Una password molto sicura 2024\nUna password molto sicura 2024\n")
    assert result.exit_code == 0, result.output
    assert user_by_email("capo@example.org").is_platform_admin


def test_create_admin_refuses_a_weak_password(runner):
    result = runner.invoke(args=["lab", "create-admin", "capo@example.org"],
                           input="password1234\npassword1234\n")
    assert result.exit_code != 0 and user_by_email("capo@example.org") is None


def test_seed_demo_is_idempotent_and_prints_the_credentials(runner):
    first = runner.invoke(args=["lab", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Laboratorio-demo-2019" in first.output
    count = db.session.scalar(select(func.count()).select_from(User))
    assert runner.invoke(args=["lab", "seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == count == 12
    signatory = user_by_email("firma.piemonte@laboratorio.example")
    assert signatory.has_signatory_authority


def test_seed_demo_is_refused_in_production(monkeypatch, app):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-for-this-test-0123456789")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    production = create_app("production")
    # A fresh context, so the command runs in the production app and not the suite's.
    result = contextvars.Context().run(production.test_cli_runner().invoke, args=["lab", "seed-demo"])
    assert result.exit_code != 0 and "production" in result.output


@pytest.mark.parametrize("env", [{}, {"SECRET_KEY": "dev-only-change-me", "DATABASE_URL": "x"},
                                 {"SECRET_KEY": "real"}])
def test_production_refuses_to_start_without_secret_and_database(monkeypatch, env):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(RuntimeError):
        create_app("production")
