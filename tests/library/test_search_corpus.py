"""The same queries find the same practices on SQLite and on PostgreSQL.

The suite runs on whichever database it is given (CI runs both): each query's expected set
is written here once, so a difference between the databases fails one of the two runs.
"""
import pytest

from lab.library.search import SearchRequest, search_practices
from tests.library.search_data import publish

CORPUS = [
    ("Custodia sociale", "Una rete di vicinato per gli anziani soli della città.",
     "Le cooperative sociali coordinano i volontari; il Comune finanzia il portierato."),
    ("Welfare aziendale territoriale", "Le imprese del distretto condividono servizi per le "
     "famiglie dei lavoratori.", "Asili nido e assistenza domiciliare per l'anziano."),
    ("Emporio solidale", "Spesa gratuita per famiglie in povertà, con tessera a punti.",
     "Le associazioni raccolgono le eccedenze alimentari della grande distribuzione."),
    ("Housing first", "Una casa, subito, per le persone senza dimora.",
     "L'équipe multidisciplinare accompagna l'inserimento abitativo."),
    ("Cantiere regionale del welfare", "La strategia WECARE della Regione Piemonte.",
     "Misura FSE1: distretti della coesione sociale; misura FESR per le imprese sociali."),
    ("Telemedicina nelle aree interne", "Visite a distanza per i pazienti cronici dei "
     "comuni montani.", "Tablet e sensori consegnati a domicilio; formazione degli infermieri."),
    ("Fondo di garanzia per il microcredito", "Prestiti alle persone escluse dal credito "
     "bancario.", "Finanza a impatto sociale: un titolo legato ai risultati."),
    ("Scuola aperta", "Gli edifici scolastici restano aperti al pomeriggio per i minori.",
     "Laboratori con le famiglie, doposcuola e sport di quartiere."),
    ("Inserimento lavorativo dei migranti", "Tirocini e corsi di lingua per rifugiati.",
     "Le imprese sociali accolgono i tirocinanti; il centro per l'impiego li orienta."),
    ("Dati aperti del sociale", "Un cruscotto pubblico dei servizi sociali comunali.",
     "Interoperabilità tra le banche dati della città metropolitana."),
    ("Operatori di comunità", "Formazione continua per assistenti sociali ed educatori.",
     "Supervisione professionale e comunità di pratica regionali."),
    ("Patto di sussidiarietà", "Il Comune e gli enti del terzo settore coprogettano i servizi.",
     "Amministrazione condivisa dei beni comuni urbani: orti e giardini."),
]

QUERIES = {
    "anziani": {"Custodia sociale", "Welfare aziendale territoriale"},
    "anziano": {"Custodia sociale", "Welfare aziendale territoriale"},
    "citta": {"Custodia sociale", "Dati aperti del sociale"},
    "città": {"Custodia sociale", "Dati aperti del sociale"},
    "CITTÀ": {"Custodia sociale", "Dati aperti del sociale"},
    "cooperativa": {"Custodia sociale"},
    "cooperative sociali": {"Custodia sociale"},
    "famiglia": {"Welfare aziendale territoriale", "Emporio solidale", "Scuola aperta"},
    "welfare": {"Welfare aziendale territoriale", "Cantiere regionale del welfare"},
    "impresa sociale": {"Cantiere regionale del welfare", "Inserimento lavorativo dei migranti"},
    "povertà": {"Emporio solidale"},
    "poverta": {"Emporio solidale"},
    "senza dimora": {"Housing first"},
    "equipe": {"Housing first"},
    "wecare": {"Cantiere regionale del welfare"},
    "fse1": {"Cantiere regionale del welfare"},
    "distretto": {"Welfare aziendale territoriale", "Cantiere regionale del welfare"},
    "telemedicina": {"Telemedicina nelle aree interne"},
    "paziente sensore": {"Telemedicina nelle aree interne"},
    "comunali": {"Dati aperti del sociale"},
    "microcredito": {"Fondo di garanzia per il microcredito"},
    "finanza impatto": {"Fondo di garanzia per il microcredito"},
    "risultato": {"Fondo di garanzia per il microcredito"},
    "minore": {"Scuola aperta"},
    "migrante": {"Inserimento lavorativo dei migranti"},
    "tirocinio": {"Inserimento lavorativo dei migranti"},
    "formazione": {"Telemedicina nelle aree interne", "Operatori di comunità"},
    # "comunità", "comune" and "comuni" share the stem "comun".
    "comunità": {"Operatori di comunità", "Custodia sociale", "Patto di sussidiarietà",
                 "Telemedicina nelle aree interne"},
    "terzo settore": {"Patto di sussidiarietà"},
    "servizio": {"Welfare aziendale territoriale", "Dati aperti del sociale",
                 "Patto di sussidiarietà"},
    "comune": {"Operatori di comunità", "Custodia sociale", "Patto di sussidiarietà",
               "Telemedicina nelle aree interne"},
    "regionale": {"Cantiere regionale del welfare", "Operatori di comunità"},
    "il della per": {title for title, *_ in CORPUS},  # only stop words: everything
    "sanità digitale": set(),
    # FTS syntax is only words here: "near" is searched as a word, "-" and "*" are dropped.
    "\"NEAR(welfare": set(),
    "welfare -aziendale": {"Welfare aziendale territoriale"},
    "housing*": {"Housing first"},
    "title:emporio": set(),
}


@pytest.fixture
def corpus():
    for title, summary, body in CORPUS:
        publish(title, summary, body)


def test_the_corpus_has_at_least_30_queries():
    assert len(QUERIES) >= 30


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_query_finds_the_expected_practices(corpus, query):
    results = search_practices(SearchRequest(query))
    assert {hit.title.striptags() for hit in results.hits} == QUERIES[query]
    assert results.total == len(QUERIES[query])
