"""Expected status per role for the library's routes (see tests/test_access_matrix.py).

``make_targets`` publishes one practice, which everyone may find and read.
"""
from tests.access import everyone
from tests.library.search_data import publish

RULES = {
    "library.index": ("GET", "/library?q=anziani&region=piemonte&sort=newest", everyone(200)),
    "library.sheet": ("GET", "/library/{public_practice}-{public_slug}", everyone(200)),
}


def make_targets(people):
    practice = publish("Custodia sociale", "Per gli anziani soli.", by=people["delegate"])
    return {"public_practice": practice.id, "public_slug": practice.slug}
