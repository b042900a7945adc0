"""``flask --app wsgi lab ...``: set-up commands for admins and the demo data."""
import click
from flask import current_app
from flask.cli import AppGroup

lab_cli = AppGroup("lab", help="Laboratorio set-up commands.")


@lab_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Amministratore", help="Full name shown on the platform.")
@click.password_option(help="Asked for when not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create a platform admin (or give an existing person the role)."""
    from lab.accounts.setup import ensure_platform_admin
    from lab.core.errors import DomainError

    try:
        ensure_platform_admin(email, name, password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Platform admin ready: {email}")


@lab_cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo people and data (idempotent; refused in production)."""
    from lab.demo import load_demo

    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.ClickException("Demo data are never loaded under the production config.")
    for line in load_demo():
        click.echo(line)


@lab_cli.command("rerender")
def rerender() -> None:
    """Render again the stored message HTML that an older renderer made."""
    from lab.rooms.messages import rerender_stale

    click.echo(f"{rerender_stale()} messages rendered again")


@lab_cli.command("send-digests")
def send_digests() -> None:
    """Mail each person who chose the daily digest their mentions of the last day (idempotent)."""
    from lab.rooms.mentions import send_digests as send

    click.echo(f"Digests sent: {send()}")
