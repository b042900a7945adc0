"""``flask --app wsgi pact ...``: verify the register, make the signing key."""
import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

pact_cli = AppGroup("pact", help="The Pact's register.")


@pact_cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.File("r"),
              help="A checkpoint saved earlier (from /pact/checkpoint) that the ledger must still contain.")
def verify(checkpoint_file) -> None:
    """Recompute the hash chain and check the signed checkpoints."""
    from lab.pact.ledger import verify_ledger

    saved = None
    if checkpoint_file:
        document = json.load(checkpoint_file)
        saved = document.get("checkpoint", document)
    verdict = verify_ledger(saved)
    click.echo(verdict.describe())
    sys.exit(0 if verdict.ok else 1)


@pact_cli.command("keygen")
def keygen() -> None:
    """Create the checkpoint signing key if it does not exist yet."""
    from lab.pact.keys import generate_key_file

    path = current_app.config["PACT_SIGNING_KEY"]
    made = generate_key_file(path)
    click.echo(f"{'Created' if made else 'Kept existing'} Pact signing key {path}")
