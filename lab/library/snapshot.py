"""A practice as one JSON document (what a revision keeps), and the diff between two of them.

The public sheet, the PDF and the revisions all read this document, so what the public sees of
a published practice is exactly what was published, whatever the working copy became since. A
private person's email is kept only when they ticked that it may be shown.
"""
import difflib
from decimal import Decimal

from lab.library import labels
from lab.library.models import Practice


def _place(item) -> dict:
    return {"slug": item.slug, "name_it": item.name_it, "name_en": item.name_en}


def _number(value) -> str | None:
    return None if value is None else str(value)


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


def take_snapshot(practice: Practice) -> dict:
    """Return the whole record as it is now, ready to store as a revision."""
    return {
        "id": practice.id, "slug": practice.slug, "title": practice.title,
        "summary": practice.summary, "problem": practice.problem,
        "intervention": practice.intervention, "lessons": practice.lessons,
        "transfer_conditions": practice.transfer_conditions, "kind": practice.kind,
        "primary_group": _place(practice.primary_group),
        "secondary_groups": [_place(group) for group in practice.secondary_groups],
        "targets": sorted(practice.target_values),
        "lead_region": _place(practice.lead_region),
        "partner_regions": [_place(region) for region in practice.partner_regions],
        "scale": practice.scale, "started_on": _day(practice.started_on),
        "ended_on": _day(practice.ended_on),
        "evidence_level": practice.evidence_level,
        "confirmed_evidence_level": practice.confirmed_evidence_level,
        "evidence_justification": practice.evidence_justification,
        "organisations": [{"name": o.name, "type": o.org_type, "lead": o.is_lead}
                          for o in practice.organisations],
        "fundings": [{"source": f.source, "measure": f.measure, "amount": _number(f.amount)}
                     for f in practice.fundings],
        "indicators": [{"name": i.name, "unit": i.unit, "baseline": _number(i.baseline),
                        "target": _number(i.target), "achieved": _number(i.achieved),
                        "measured_on": _day(i.measured_on)} for i in practice.indicators],
        "attachments": [{"id": a.id, "filename": a.filename, "mimetype": a.mimetype,
                         "size": a.size, "role": a.role}
                        for a in practice.attachments if a.removed_at is None],
        "links": [{"url": link.url, "label": link.label} for link in practice.links],
        "contact": {"role": practice.contact_role, "office": practice.contact_office,
                    "email": practice.contact_email if practice.contact_email_public else None},
    }


def _figure(value: str | None) -> str:
    """Write a kept number the same way whether it was kept as typed (180) or as stored (180.0000)."""
    if value is None:
        return ""
    figure = Decimal(value).normalize()
    return f"{figure:f}"


def _field_lines(snapshot: dict) -> dict[str, list[str]]:
    """Each field of ``labels.FIELDS`` as lines of plain text, the unit of the diff."""
    def names(items):
        return [item["name_it"] for item in items]

    level = snapshot["confirmed_evidence_level"] or snapshot["evidence_level"]
    return {
        "title": [snapshot["title"]],
        "kind": [str(labels.KINDS[snapshot["kind"]])],
        "summary": snapshot["summary"].splitlines(),
        "indicators": [" | ".join([i["name"], i["unit"] or "", *(_figure(i[key]) for key in
                                  ("baseline", "target", "achieved")), i["measured_on"] or ""])
                       for i in snapshot["indicators"]],
        "evidence": [str(labels.EVIDENCE_LEVELS[level]),
                     *snapshot["evidence_justification"].splitlines()],
        "problem": snapshot["problem"].splitlines(),
        "intervention": snapshot["intervention"].splitlines(),
        "lessons": snapshot["lessons"].splitlines(),
        "transfer_conditions": snapshot["transfer_conditions"].splitlines(),
        "themes": names([snapshot["primary_group"], *snapshot["secondary_groups"]]),
        "targets": [str(labels.TARGETS[target]) for target in snapshot["targets"]],
        "where": [snapshot["lead_region"]["name_it"], *names(snapshot["partner_regions"]),
                  str(labels.SCALES[snapshot["scale"]])],
        "period": [f"{snapshot['started_on']} – {snapshot['ended_on'] or ''}"],
        "organisations": [f"{o['name']} ({labels.ORGANISATION_TYPES[o['type']]})"
                          for o in snapshot["organisations"]],
        "fundings": [f"{labels.FUNDING_SOURCES[f['source']]} | {f['measure']} | {_figure(f['amount'])}"
                     for f in snapshot["fundings"]],
        "attachments": [a["filename"] for a in snapshot["attachments"]],
        "links": [f"{link['label']} {link['url']}" for link in snapshot["links"]],
        "contact": [value for value in snapshot["contact"].values() if value],
    }


def diff_snapshots(old: dict, new: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return, for each field that changed, its label and (kind, line) pairs (' ', '+', '-')."""
    before, after = _field_lines(old), _field_lines(new)
    changes = []
    for key, label in labels.FIELDS.items():
        if before[key] == after[key]:
            continue
        lines = [(line[:1], line[2:]) for line in difflib.ndiff(before[key], after[key])
                 if line[:1] in (" ", "+", "-")]
        changes.append((str(label), lines))
    return changes
