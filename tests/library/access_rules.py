"""Expected status per role for the library's routes (see tests/test_access_matrix.py).

``make_targets`` builds practices of the matrix's Piemonte ``delegate`` in each state; the
matrix's ``signatory`` (a Piemonte delegate too) coordinates their primary group. Nobody in the
matrix sits on the editorial board (tests/library/test_routes.py walks the board's pages). A
practice someone may not see answers 404, as if it did not exist.
"""
from tests.access import ROLES, everyone, signed_in

UNSEEN = {"region_admin": 404, "other_region_admin": 404, "organiser": 404, "admin": 404}


def seen_by_region(author, colleague, unseen=UNSEEN):
    """The author and the other Piemonte delegate see the working copy; the rest get 404."""
    return {"anonymous": 302, "delegate": author, "signatory": colleague, **unseen}


RULES = {
    "library.index": ("GET", "/library?q=anziani&region=piemonte&sort=newest", everyone(200)),
    "library.sheet": ("GET", "/library/{published}-{published_slug}", everyone(200)),
    "library.sheet_pdf": ("GET", "/library/{published}/scheda.pdf", everyone(200)),
    "library.attachment": ("GET", "/library/{published}/attachments/{published_file}",
                           everyone(200)),
    "library.revisions": ("GET", "/library/{published}/revisions", everyone(200)),
    "library.diff": ("GET", "/library/{published}/diff?from=1&to=3", everyone(200)),
    "library.mine": ("GET", "/library/mine", signed_in(200)),
    "library.review_queue": ("GET", "/library/review", signed_in(200)),
    "library.board_queue": ("GET", "/library/board", {**signed_in(403), "anonymous": 302}),
    "library.new": ("GET", "/library/new", {**signed_in(403), "delegate": 200, "signatory": 200}),
    "library.edit": ("GET", "/library/{draft}/edit", seen_by_region(200, 403)),
    "library.remove_attachment": ("POST", "/library/{draft}/attachments/{draft_file}/remove",
                                  seen_by_region(302, 403)),
    "library.submit": ("POST", "/library/{draft}/submit", seen_by_region(302, 403)),
    # The signatory coordinates the group: the empty form comes back with a message.
    "library.request_changes": ("POST", "/library/{submitted}/request-changes",
                                seen_by_region(403, 302)),
    "library.approve": ("POST", "/library/{submitted}/approve", seen_by_region(403, 302)),
    "library.publish": ("POST", "/library/{approved}/publish", seen_by_region(403, 403)),
    "library.send_back": ("POST", "/library/{approved}/send-back", seen_by_region(403, 403)),
    "library.archive": ("POST", "/library/{published}/archive",
                        {**signed_in(403), "anonymous": 302}),
}
assert all(set(rule[2]) == set(ROLES) for rule in RULES.values())


def make_targets(people):
    from lab.groups import services as groups
    from lab.groups.queries import group_by_slug
    from lab.groups.themes import ensure_themes
    from lab.library import services, workflow
    from lab.library.attachments import PDF, Upload
    from tests.accounts.pdfs import plain_pdf
    from tests.factories import make_person
    from tests.library.conftest import make_draft

    ensure_themes()
    group = group_by_slug("prossimita-domiciliarita")
    groups.appoint_coordinator(people["admin"], group, people["signatory"])
    board = make_person("board@example.org", "Board", "editorial_board")
    author = people["delegate"]
    pdf = Upload("valutazione.pdf", PDF, plain_pdf())

    def practice(title, *steps):
        made = services.create_practice(author, make_draft(group, title=title, upload=pdf))
        for step in steps:
            step(made)
        return made

    submit = lambda p: workflow.submit_practice(author, p)  # noqa: E731
    approve = lambda p: workflow.approve_practice(people["signatory"], p, 2)  # noqa: E731
    publish = lambda p: workflow.publish_practice(board, p)  # noqa: E731
    draft = practice("Bozza")
    published = practice("Pubblicata", submit, approve, publish)
    return {"draft": draft.id, "draft_file": draft.attachments[0].id,
            "submitted": practice("Inviata", submit).id,
            "approved": practice("Approvata", submit, approve).id,
            "published": published.id, "published_slug": published.slug,
            "published_file": published.attachments[0].id}
