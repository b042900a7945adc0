"""Script and HTML typed into any text field of a practice are shown as text or removed, on the
sheet (the author's working copy and the public version) and in the PDF."""
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from lab.library import services, workflow
from lab.library.services import Funding, Indicator, Organisation
from tests.library.conftest import make_draft
from tests.library.test_routes import sign_in
from tests.rooms.test_xss import dangers
from tests.rooms.xss_payloads import XSS_PAYLOADS

ARTICLE = re.compile(r'<article class="practice-sheet".*?</article>', re.S)


def poisoned(group, payload):
    """A draft whose every text field, and every text of its rows, holds the payload."""
    text = payload[:190]
    return make_draft(
        group, title=text, summary=payload, problem=payload, intervention=payload,
        lessons=payload, transfer_conditions=payload, evidence_justification=payload,
        contact_role=text, contact_office=text, contact_email="x@example.org",
        contact_email_public=True,
        organisations=[Organisation(text, "third_sector", True)],
        fundings=[Funding("fse", text, Decimal("1.50"))],
        indicators=[Indicator(text, payload[:60], None, None, Decimal(1), date(2022, 1, 1))],
        links=[("https://example.org/" + str(len(payload)), text)])


@pytest.fixture
def board_and_coordinator(board, coordinator):
    return board, coordinator


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_never_reach_the_sheet_or_the_pdf_as_markup(app, author, theme, payload,
                                                             board_and_coordinator):
    board, coordinator = board_and_coordinator
    from lab.core.text import text_problem

    if text_problem(payload):
        pytest.skip("refused at the edge as text that cannot be stored")
    practice = services.create_practice(author, poisoned(theme, payload))
    workflow.submit_practice(author, practice)
    workflow.approve_practice(coordinator, practice, 2)
    workflow.publish_practice(board, practice)
    url = f"/library/{practice.id}-{practice.slug}"
    for client in (app.test_client(), sign_in(app.test_client(), author)):
        response = client.get(url)
        assert response.status_code == 200
        article = ARTICLE.search(response.get_data(as_text=True)).group(0)
        assert dangers(article) == [], payload
    response = app.test_client().get(f"/library/{practice.id}/scheda.pdf")
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
