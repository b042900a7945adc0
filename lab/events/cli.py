"""``flask --app wsgi events ...``: commands for cron."""
import click
from flask.cli import AppGroup

events_cli = AppGroup("events", help="Events and their registrations.")


@events_cli.command("send-reminders")
@click.option("--days", default=2, show_default=True, type=click.IntRange(0, 60),
              help="Remind people of events starting within this many days.")
def send_reminders(days: int) -> None:
    """Mail a reminder to every registered person of the coming events (idempotent)."""
    from lab.events.reminders import send_reminders as send

    click.echo(f"{send(days)} reminders sent")


@events_cli.command("erase-personal-data")
def erase_personal_data() -> None:
    """Erase answers, needs and guests' names and addresses past their retention (idempotent)."""
    from lab.events.questions import erase_personal_data as erase

    click.echo(f"{erase()} registrations erased")
