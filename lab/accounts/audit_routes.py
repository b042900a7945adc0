"""The audit log page for platform and region admins."""
from functools import lru_cache

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from lab.accounts import bp
from lab.accounts.audit import (AuditFilter, AuditRow, action_choices, action_labeller,
                                visible_entries)
from lab.accounts.services import all_regions
from lab.core.params import date_arg, id_arg, page_arg
from lab.core.security import admin_required


@bp.get("/admin/audit")
@admin_required
def log():
    """Show the audit log the admin may read, with filters."""
    audit_filter = AuditFilter(
        action=request.args.get("action") or None,
        region_id=id_arg("region"),
        actor_email=request.args.get("actor") or None,
        since=date_arg("since"),
        until=date_arg("until"),
        page=page_arg(),
    )
    entries, has_more = visible_entries(current_user, audit_filter)
    shown_regions = None if current_user.is_platform_admin else frozenset(
        current_user.administered_region_ids())
    label = action_labeller()
    return render_template(
        "accounts/admin/audit.html", entries=entries, has_more=has_more, audit_filter=audit_filter,
        region_options=rendered_region_options(shown_regions, audit_filter.region_id,
                                               str(get_locale())),
        action_label=label, actions=action_choices())


@bp.app_template_global()
def audit_rows(entries: list[AuditRow]) -> Markup:
    """Return the log's rows, each rendered once per all that it shows and language."""
    locale = str(get_locale())
    return Markup("").join(rendered_row(entry, locale) for entry in entries)


# Kept under all that the row shows, so an erased person's new address makes a new row (the log
# is append-only, and a moment's text is the same in every process): /admin/audit cost 12.24 ms
# of CPU with the rows (and their moments) emptied before each request, 4.69 ms kept
# (bench/pages.py --fast-paths, 5 x 30 alternating, load 7-8).
@lru_cache(maxsize=1024)
def rendered_row(entry: AuditRow, locale: str) -> Markup:
    return Markup(render_template("accounts/admin/_audit_row.html", e=entry,
                                  action_label=action_labeller()))


# Regions are reference data that only the migrations write (as lab/core/layout.py's table):
# /admin/audit 5.79 ms of CPU with the filter's regions read and rendered each time, 4.69 ms
# kept (bench/pages.py --fast-paths, the same run).
@lru_cache(maxsize=64)
def rendered_region_options(shown: frozenset[int] | None, selected: int | None, locale: str) -> Markup:
    """Render the filter's regions (all of them when ``shown`` is None), ``selected`` marked."""
    regions = [r for r in all_regions() if shown is None or r.id in shown]
    return Markup(render_template("accounts/admin/_region_options.html", regions=regions,
                                  selected=selected))
