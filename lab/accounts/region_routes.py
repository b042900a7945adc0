"""The public directory of member regions and a page per region."""
from flask import render_template

from lab.accounts import bp, services
from lab.core.timeutil import rome_today


@bp.get("/regions")
def regions():
    """List the 21 members of the Conference of Regions."""
    return render_template("accounts/regions.html")


# For the regions' table, rendered once per language: it took 1.9 of the 4.2 ms of CPU that
# /regions cost (bench/pages.py; bench/README.md, Pages).
bp.add_app_template_global(services.all_regions, "all_regions")


@bp.get("/regions/<slug>")
def region(slug: str):
    """Show a region's current delegates and who holds signatory authority."""
    region = services.region_by_slug(slug)
    representatives = services.representatives_on(region, rome_today())
    return render_template("accounts/region.html", region=region, representatives=representatives)
