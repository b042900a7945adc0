"""``flask --app wsgi pact ...``: verify the register, make the signing key."""
import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

pact_cli = AppGroup("pact", help="The Pact's register.")


def _public_key(context, parameter, value):
    from lab.pact.keys import read_public_key

    if value is None:
        return None
    try:
        return read_public_key(value)
    except ValueError as error:
        raise click.BadParameter(f"{error} (give the base64 key or a file from /pact/key.pem)")


@pact_cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.File("r"),
              help="A checkpoint saved earlier (from /pact/checkpoint), or a saved "
                   "/pact/ledger.json, that the ledger must still contain.")
@click.option("--public-key", callback=_public_key, metavar="FILE|BASE64",
              help="The platform's public key as published on /pact/key (default: the key file's).")
def verify(checkpoint_file, public_key) -> None:
    """Recompute the hash chain and check the checkpoints against the platform's key."""
    from lab.pact.integrity import verify_ledger
    from lab.pact.keys import SigningKeyMissing

    saved = entries = None
    if checkpoint_file:
        document = json.load(checkpoint_file)
        saved, entries = document.get("checkpoint", document), document.get("entries")
    try:
        verdict = verify_ledger(public_key, saved, entries)
    except SigningKeyMissing as error:
        raise click.ClickException(f"{error}: give the platform's key with --public-key") from error
    click.echo(verdict.describe())
    sys.exit(0 if verdict.ok else 1)


@pact_cli.command("keygen")
def keygen() -> None:
    """Create the checkpoint signing key if it does not exist yet, and show its fingerprint."""
    from lab.pact.keys import fingerprint, generate_key_file, public_key_b64

    path = current_app.config["PACT_SIGNING_KEY"]
    made = generate_key_file(path)
    click.echo(f"{'Created' if made else 'Kept existing'} Pact signing key {path}")
    public_key = public_key_b64()
    click.echo(f"Public key {public_key}, SHA-256 fingerprint {fingerprint(public_key)}")
