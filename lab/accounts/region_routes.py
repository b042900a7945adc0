"""The public directory of member regions and a page per region."""
from flask import render_template

from lab.accounts import bp, services
from lab.core.pagecache import kept_for_visitors
from lab.core.timeutil import rome_today


@bp.get("/regions")
@kept_for_visitors
def regions():
    """List the 21 members of the Conference of Regions."""
    return render_template("accounts/regions.html")


# For the regions' table, rendered once per language: /regions took 3.95 ms of CPU rendering it
# each time, 1.53 ms keeping it (bench/pages.py --fast-paths, lab/core/layout.py).
bp.add_app_template_global(services.all_regions, "all_regions")


@bp.get("/regions/<slug>")
@kept_for_visitors
def region(slug: str):
    """Show a region's current delegates and who holds signatory authority."""
    region = services.region_by_slug(slug)
    representatives = services.representatives_on(region, rome_today())
    return render_template("accounts/region.html", region=region, representatives=representatives)
