"""The /library page: its state in the URL, its answers to bad input, and script kept out."""
import pytest
from markupsafe import escape

from lab.core.text import text_problem
from lab.extensions import db
from lab.groups.models import Group
from lab.library.search import QUERY_MAX
from tests.library.search_data import publish
from tests.rooms.test_xss import dangers
from tests.rooms.xss_payloads import XSS_PAYLOADS


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_results_facets_and_links_keep_the_whole_search_in_the_url(client):
    publish("Custodia sociale", "Gli anziani soli della città.", region="piemonte",
            targets=["older_people"])
    publish("Emporio solidale", "Famiglie in povertà.", region="toscana", targets=["poverty"])
    html = page(client, "/library?q=anziano&sort=newest")
    assert "1 pratica" in html and "<mark>anziani</mark>" in html
    assert 'href="/library/1-custodia-sociale"' in html
    # A facet link adds its value to the search, keeping the words and the order.
    assert 'href="/library?q=anziano&amp;region=piemonte&amp;sort=newest"' in html
    narrowed = page(client, "/library?q=anziano&region=piemonte&sort=newest")
    assert 'aria-current="true"' in narrowed and "Custodia sociale" in narrowed
    assert 'href="/library?q=anziano&amp;sort=newest"' in narrowed  # the same link takes it off
    assert 'aria-label="Filtri attivi"' in narrowed and "Regione: Piemonte" in narrowed
    everything = page(client, "/library")
    assert "2 pratiche" in everything and "Persone in povertà o a rischio" in everything


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", ":", "-", "'", "(", ")", "AND", "OR NOT",
                                   '"a" OR', "^", "title:x", "a:b:c", "\\", "%", "_", "&&", "!",
                                   "NEAR(a b, 3)", "{x}", "sociale*", "-sociale", "+"])
def test_malformed_queries_never_reach_the_full_text_syntax(client, query):
    publish("Custodia sociale")
    html = page(client, f"/library?q={query}")
    assert "pratic" in html


def test_an_over_long_query_is_refused_with_a_message(client):
    publish("Custodia sociale")
    html = page(client, "/library?q=" + "sociale " * (QUERY_MAX // 8 + 1))
    assert "troppo lunga" in html and "0 pratiche" in html


def test_an_unknown_facet_value_is_named_and_ignored(client):
    publish("Custodia sociale")
    html = page(client, "/library?region=atlantide&evidence=5&kind=x&sort=sideways")
    assert "Filtro sconosciuto ignorato: atlantide" in html and "1 pratica" in html


@pytest.mark.parametrize("number", ["-1", "0", "1000000000000", "abc", "1.5"])
def test_impossible_page_numbers_get_a_clear_400(client, number):
    html = page(client, f"/library?page={number}", 400)
    assert "deve essere un numero" in html


def test_a_page_beyond_the_last_says_how_many_there_are(client):
    publish("Custodia sociale")
    assert "i risultati hanno 1 pagine" in page(client, "/library?page=9999")


def test_xss_payloads_in_every_text_field_stay_text(client):
    accepted = [p for p in XSS_PAYLOADS if text_problem(p) is None]
    themes = []
    for number, payload in enumerate(accepted[:8]):
        themes.append(Group(slug=f"gruppo-{number}", name_it=payload[:160], name_en=payload[:160]))
    db.session.add_all(themes)
    db.session.commit()
    for number, payload in enumerate(accepted):
        publish(f"{payload[:150]} welfare", f"{payload} welfare", f"{payload} welfare",
                themes=[themes[number % len(themes)].slug],
                fundings=[("fse", payload[:200])])
    pages = -(-len(accepted) // 20)
    for number in range(1, pages + 1):
        html = page(client, f"/library?q=welfare&page={number}")
        facets = html[html.index('class="col-lg-4 library-facets"'):html.index('class="library-sort')]
        results = html[html.index('class="list-unstyled library-results"'):html.index("</main>")]
        assert dangers(facets) == [] and dangers(results) == [], number
        assert results.count('class="library-result ') == (20 if number < pages else
                                                             len(accepted) - 20 * (pages - 1))
    for number in range(len(themes)):  # a chosen theme is shown above the results too
        html = page(client, f"/library?q=welfare&theme=gruppo-{number}")
        chosen = html[html.index("</form>", html.index('class="library-sort')):html.index("</main>")]
        assert 'aria-label="Filtri attivi"' in chosen and dangers(chosen) == []


@pytest.mark.parametrize("payload", [p for p in XSS_PAYLOADS if text_problem(p) is None][::6])
def test_xss_payloads_in_the_url_are_reflected_as_text(client, payload):
    response = client.get("/library", query_string={"q": payload, "region": payload})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    notices = html[html.index("</form>"):html.index('<div class="row">')]
    assert dangers(notices) == []
    assert f'value="{escape(payload.strip())}"' in html or "troppo lunga" in html


def test_a_published_practice_shows_on_the_kept_search_page_at_the_next_request(client):
    publish("Custodia sociale", "Gli anziani soli della città.", region="piemonte")
    assert "Emporio solidale" not in page(client, "/library")
    assert "Emporio solidale" not in page(client, "/library")  # now the kept page
    publish("Emporio solidale", "Famiglie in povertà.", region="toscana")
    assert "Emporio solidale" in page(client, "/library")
