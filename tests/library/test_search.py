"""Search finds the public version of published practices, ranked, highlighted and faceted."""
from datetime import datetime

from sqlalchemy import func, select

from lab.extensions import db
from lab.library import services, workflow
from lab.library.index import PracticeSearchEntry, PracticeSearchFacet, reindex
from lab.library.search import PAGE_SIZE, SearchRequest, search_practices
from tests.library.conftest import make_draft
from tests.library.search_data import archive, publish, republish


def found(text="", **filters) -> list[str]:
    sort = filters.pop("sort", "relevance")
    page = filters.pop("page", 1)
    request = SearchRequest(text, {k: tuple(v) for k, v in filters.items()}, sort, page)
    return [hit.title.striptags() for hit in search_practices(request).hits]


def test_stemming_and_accents_find_other_forms_of_a_word():
    publish("Custodia sociale per l'anziano solo", "Una rete di vicinato in città.",
            "Le cooperative sociali del quartiere.")
    for query in ("anziani", "anziana", "citta", "CITTÀ", "cooperativa", "cooperazione"):
        assert found(query) == ["Custodia sociale per l'anziano solo"], query


def test_stop_words_alone_find_everything_and_say_so():
    publish("Portierato sociale")
    results = search_practices(SearchRequest("della per il"))
    assert results.total == 1 and "parole da cercare" in results.notices[0]


def test_all_words_must_be_found():
    publish("Portierato sociale di condominio")
    publish("Emporio solidale di quartiere")
    assert found("portierato quartiere") == []
    assert found("sociale condominio") == ["Portierato sociale di condominio"]


def test_title_ranks_over_summary_over_body():
    publish("Orti urbani", "Spazi verdi condivisi.", "Un progetto per la comunità.")
    publish("Spazi condivisi", "Una comunità di vicinato.", "Orti.")
    publish("Mense di comunità", "Orti nel cortile della scuola.", "Pasti.")
    assert found("orti") == ["Orti urbani", "Mense di comunità", "Spazi condivisi"]


def test_snippet_marks_the_matched_words_and_escapes_the_rest():
    publish("Badanti di condominio", "Assistenza <b>domiciliare</b> agli anziani & alle famiglie.")
    hit = search_practices(SearchRequest("anziano")).hits[0]
    assert "<mark>anziani</mark>" in hit.snippet
    assert "&lt;b&gt;domiciliare&lt;/b&gt;" in hit.snippet and "&amp;" in hit.snippet


def test_archiving_takes_a_practice_out_in_the_same_transaction():
    practice = publish("Emporio solidale")
    archive(practice)
    assert found("emporio") == []
    assert db.session.scalar(select(func.count()).select_from(PracticeSearchFacet)) == 0


def test_a_practice_under_review_keeps_its_public_version():
    practice = publish("Emporio solidale", "Spesa gratuita per famiglie in difficoltà.")
    practice.title = "Market sociale"
    practice.summary = "Una nuova versione in revisione."
    practice.status = "submitted"
    db.session.commit()
    assert found("emporio") == ["Emporio solidale"] and found("market") == []
    assert reindex() == 1
    assert found("emporio") == ["Emporio solidale"] and found("revisione") == []


def test_publishing_again_replaces_the_public_version(published, author, coordinator, board,
                                                       theme):
    services.update_practice(author, published, make_draft(theme, title="Market sociale"))
    workflow.submit_practice(author, published)
    workflow.approve_practice(coordinator, published, 2)
    assert found("custode") == ["Custodi di quartiere"] and found("market") == []
    workflow.publish_practice(board, published)
    assert found("custode") == [] and found("market") == ["Market sociale"]


def test_reindex_rebuilds_a_lost_index(runner):
    publish("Emporio solidale", "Spesa per famiglie.")
    publish("Portierato sociale")
    db.session.execute(PracticeSearchEntry.__table__.delete())
    db.session.commit()
    assert found("emporio") == []
    result = runner.invoke(args=["library", "reindex"])
    assert result.exit_code == 0 and "2 public practices" in result.output
    assert found("famiglia") == ["Emporio solidale"]


def test_reindex_keeps_the_published_version_of_a_practice_under_review(
        runner, published, author, theme):
    changed = make_draft(theme, title="Market sociale", summary="Una nuova versione in revisione.",
                         targets=["poverty"])
    services.update_practice(author, published, changed)
    workflow.submit_practice(author, published)
    db.session.execute(PracticeSearchEntry.__table__.delete())  # the index is lost
    db.session.commit()
    result = runner.invoke(args=["library", "reindex"])
    assert result.exit_code == 0 and "1 public practices" in result.output
    assert found("custode") == ["Custodi di quartiere"]
    assert found("market") == [] and found("revisione") == []
    assert found(target=["older_people"]) == ["Custodi di quartiere"]
    assert found(target=["poverty"]) == []


def test_facets_count_live_and_combine():
    publish("Uno", region="piemonte", partners=["toscana"], targets=["older_people"], level=2)
    publish("Due", region="toscana", targets=["older_people", "poverty"], kind="lesson")
    publish("Tre", region="puglia", targets=["migrants"], fundings=[("fse", "Misura FSE1")])
    results = search_practices(SearchRequest(filters={"region": ("toscana",)}))
    assert sorted(hit.title.striptags() for hit in results.hits) == ["Due", "Uno"]
    counts = {f: {o.value: o.count for o in opts} for f, opts in results.facets.items()}
    # Within the chosen facet the counts ignore its own choice; the others follow it.
    assert counts["region"] == {"piemonte": 1, "toscana": 2, "puglia": 1}
    assert counts["target"] == {"older_people": 2, "poverty": 1}
    assert counts["kind"] == {"good_practice": 1, "lesson": 1}
    assert found(region=["toscana", "puglia"]) == ["Tre", "Due", "Uno"]
    assert found(region=["toscana"], target=["poverty"]) == ["Due"]
    assert found("misura", funding=["fse"]) == ["Tre"]
    assert found(evidence=["2"]) == ["Uno"]


def test_period_facet_follows_the_programming_periods():
    publish("Vecchia", started=datetime(2010, 1, 1).date(), ended=datetime(2015, 6, 1).date())
    publish("Nuova", started=datetime(2022, 1, 1).date())
    assert found(period=["2007-2013"]) == ["Vecchia"]
    assert sorted(found(period=["2014-2020"])) == ["Vecchia"]
    assert found(period=["2021-2027"]) == ["Nuova"]


def test_sorting_by_newest_and_by_revision():
    first = publish("Prima", at=datetime(2026, 1, 1))
    publish("Seconda", at=datetime(2026, 2, 1))
    republish(first, at=datetime(2026, 3, 1))  # published again after a revision
    assert found(sort="newest") == ["Seconda", "Prima"]
    assert found(sort="revised") == ["Prima", "Seconda"]


def test_pages_hold_page_size_results_each():
    for number in range(PAGE_SIZE + 3):
        publish(f"Pratica {number}", "Welfare di comunità.", at=datetime(2026, 1, 1, 0, number))
    first = search_practices(SearchRequest("welfare"))
    assert first.total == PAGE_SIZE + 3 and first.pages == 2 and len(first.hits) == PAGE_SIZE
    assert len(search_practices(SearchRequest("welfare", page=2)).hits) == 3
    beyond = search_practices(SearchRequest("welfare", page=3))
    assert beyond.hits == [] and "2 pagine" in beyond.notices[0]


def test_a_process_copy_follows_publications_made_after_it():
    publish("Custodia sociale", region="piemonte")
    assert found(region=["toscana"]) == []  # this process now holds a copy of the index
    publish("Emporio solidale", region="toscana")
    results = search_practices(SearchRequest("sociale emporio"))
    assert [hit.title.striptags() for hit in results.hits] == []
    assert found("emporio", region=["toscana"]) == ["Emporio solidale"]
    counts = {o.value: o.count for o in search_practices(SearchRequest()).facets["region"]}
    assert counts == {"piemonte": 1, "toscana": 1}


def test_a_server_warmed_up_at_start_copies_the_index_before_the_first_search(app):
    from sqlalchemy import event

    from lab.library.bitsets import warm_up

    publish("Custodia sociale", region="piemonte")
    warm_up(app)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert found(region=["piemonte"]) == ["Custodia sociale"]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert statements and not any("practice_search_facets" in s for s in statements)


def test_bitsets_round_trip():
    from lab.library.bitsets import bitset, members

    ids = [1, 7, 8, 9, 64, 100_000]
    assert members(bitset(ids)) == ids and bitset([]) == 0 and members(0) == []
