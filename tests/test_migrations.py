"""The schema built by the migrations is the schema the models describe, on either database."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from lab.accounts.models import Region
from lab.extensions import db
from lab.library.index import outside_models


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": outside_models})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"write a migration for: {differences}"


def test_migrations_form_a_single_line(app):
    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_the_21_members_are_reference_data(app):
    assert db.session.scalar(select(func.count()).select_from(Region)) == 21
    codes = set(db.session.scalars(select(Region.istat_code)))
    assert {"01", "09", "20", "021", "022"} <= codes and "04" not in codes


def test_database_is_what_the_suite_was_asked_to_use(app):
    import os

    wanted = os.environ.get("TEST_DATABASE_URL", "sqlite")
    assert db.engine.dialect.name == ("postgresql" if wanted.startswith("postgres") else "sqlite")


