"""``flask library ...``: maintenance of the library's search index."""
import click
from flask.cli import AppGroup

from lab.library.index import reindex

library_cli = AppGroup("library", help="The good-practice library.")


@library_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index of the published practices."""
    click.echo(f"{reindex()} public practices in the index.")
