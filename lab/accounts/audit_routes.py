"""The audit log page for platform and region admins."""
from flask import render_template, request
from flask_login import current_user

from lab.accounts import bp
from lab.accounts.audit import AuditFilter, action_labeller, known_actions, visible_entries
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
    regions = all_regions()
    if not current_user.is_platform_admin:
        regions = [r for r in regions if r.id in current_user.administered_region_ids()]
    label = action_labeller()
    return render_template("accounts/admin/audit.html", entries=entries, has_more=has_more,
                           audit_filter=audit_filter, regions=regions, action_label=label,
                           actions=sorted(known_actions(), key=label))
