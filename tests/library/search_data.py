"""Published practices made directly with the models, and the signal L1's services send.

The workflow's services send ``public_version_changed`` inside their transaction when they
publish or archive; these helpers do exactly that, so the search tests exercise the real
contract whether or not the workflow is there.
"""
import re
from datetime import date, datetime

from flask import abort
from sqlalchemy import select

from lab.accounts.models import Region
from lab.extensions import db
from lab.groups.models import Group
from lab.groups.themes import ensure_themes
from lab.library import bp, signals
from lab.library.index import PracticeSearchEntry
from lab.library.models import (
    Practice, PracticeFunding, PracticeRevision, PracticeStatus, PracticeTarget,
)
from lab.library.snapshot import take_snapshot
from tests.factories import make_person


def publish(title: str, summary: str = "Sintesi.", body: str = "", *, region="piemonte",
            partners=(), theme=None, themes=(), targets=(), fundings=(), level=1,
            kind="good_practice", started=date(2018, 1, 1), ended=None, at=None,
            by=None) -> Practice:
    """Publish a practice: save it, keep a revision, send the signal, commit."""
    first = ensure_themes()[0].slug
    groups = {group.slug: group for group in db.session.scalars(select(Group))}
    regions = {r.slug: r for r in db.session.scalars(select(Region))}
    when = at or datetime(2026, 1, 1)
    practice = Practice(
        slug=re.sub(r"[^a-z0-9]+", "-", title.lower())[:60].strip("-") or "pratica", title=title, summary=summary,
        intervention=body, kind=kind, status=PracticeStatus.PUBLISHED.value,
        primary_group=groups[theme or first], lead_region=regions[region], scale="regional",
        started_on=started, ended_on=ended, evidence_level=level, author=by or the_author(),
        revised_at=when, published_at=when,
        secondary_groups=[groups[slug] for slug in themes],
        partner_regions=[regions[slug] for slug in partners],
        targets=[PracticeTarget(target=target) for target in targets],
        fundings=[PracticeFunding(source=source, measure=measure) for source, measure in fundings],
    )
    db.session.add(practice)
    republish(practice, when)
    return practice


def republish(practice: Practice, at: datetime) -> None:
    """Publish the practice as it is now: keep a revision made at ``at``, send the signal, commit."""
    db.session.flush()
    number = len(practice.revisions) + 1
    revision = PracticeRevision(practice=practice, number=number, author=practice.author,
                                status=practice.status, snapshot=take_snapshot(practice),
                                created_at=at)
    db.session.add(revision)
    db.session.flush()
    practice.revised_at = at
    practice.published_revision = revision
    signals.public_version_changed.send(practice, published=True)
    db.session.commit()


def archive(practice: Practice) -> None:
    """Archive a practice: it leaves the public, and the index, in the same transaction."""
    practice.status = PracticeStatus.ARCHIVED.value
    signals.public_version_changed.send(practice, published=False)
    db.session.commit()


def the_author():
    return make_person("autrice@example.org", "Anna Autrice", "delegate", "piemonte")


def _sheet_stand_in(practice_id: int, slug: str):
    """Show a practice's title: stands in for the sheet until the workflow's pages are merged."""
    entry = db.session.get(PracticeSearchEntry, practice_id) or abort(404)
    return entry.title


@bp.record_once
def _register_stand_in(state) -> None:
    if "library.sheet" not in state.app.view_functions:
        state.app.add_url_rule("/library/<int:practice_id>-<slug>", "library.sheet",
                               _sheet_stand_in)
