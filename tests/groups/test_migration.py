"""Migration 0003 brings the eight themes and their rooms to every install, on either database."""
import contextvars
import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from lab import create_app
from lab.groups.themes import THEMES
from tests.rooms.cluster import scratch_database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the suite's kind, dropped afterwards."""
    if not TEST_DATABASE_URL.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    with scratch_database(TEST_DATABASE_URL) as url:
        yield url


def _migrate_and_read(url: str, instance) -> tuple[list, list]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": instance})
    with app.app_context():
        upgrade()
        downgrade(revision="0002_pact")
        upgrade()
        from lab.extensions import db

        groups = db.session.execute(text(
            "SELECT slug, name_it, name_en, is_theme FROM groups ORDER BY position")).all()
        rooms = db.session.execute(text(
            "SELECT r.kind, r.main_key, g.slug FROM rooms r LEFT JOIN groups g ON g.id = r.group_id "
            "ORDER BY r.id")).all()
        db.session.remove()
        db.engine.dispose()
    return groups, rooms


def test_eight_themes_with_both_languages_and_their_rooms(fresh_database, tmp_path):
    groups, rooms = contextvars.Context().run(_migrate_and_read, fresh_database, tmp_path)
    assert [(g.slug, g.name_it, g.name_en) for g in groups] == [t[:3] for t in THEMES]
    assert all(g.is_theme for g in groups)
    assert rooms[0] == ("laboratory", "laboratory", None)
    assert [(r.kind, r.slug) for r in rooms[1:]] == [("group", t[0]) for t in THEMES]
