"""Step around the append-only triggers, as an attacker or a test clean-up with database access would."""
from contextlib import contextmanager

from sqlalchemy import text


@contextmanager
def triggers_bypassed(connection):
    """Within the connection's transaction, let UPDATE and DELETE reach append-only tables."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        yield
        return
    triggers = connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _sql in triggers:
        connection.execute(text(f"DROP TRIGGER {name}"))
    try:
        yield
    finally:
        for _name, sql in triggers:
            connection.execute(text(sql))
