"""Demo practices: WECARE's five measures (Piemonte, published, from the seed's text) and a few
clearly marked demo practices from Toscana, Puglia and Trento in different states.

Each goes through the real workflow (draft, submit, approve, publish), so the revisions, the
review history and the search index are as they would be. Idempotent: a practice whose title
exists is left alone.
"""
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from lab.accounts.services import user_by_email
from lab.extensions import db
from lab.groups import queries as groups
from lab.groups.services import appoint_coordinator
from lab.library import services, workflow
from lab.library.models import Practice
from lab.library.services import Funding, Indicator, Organisation, PracticeDraft

ADMIN = "admin@laboratorio.example"
BOARD = "comitato@laboratorio.example"
# Coordinates the demo themes that the groups' demo leaves without a coordinator.
SPARE_COORDINATOR = "coordinatore.lazio@laboratorio.example"
PIEMONTE = "delegato.piemonte@laboratorio.example"
REGIONE = Organisation("Regione Piemonte – Direzione Coesione sociale", "public_body", True)
WECARE = ("Misura della strategia WECARE – Welfare Cantiere Regionale, con cui la Regione "
          "Piemonte sostiene dal 2017 l'innovazione sociale con 20 milioni di euro di fondi FSE e "
          "FESR: sperimentazioni che dovranno dimostrare sostenibilità e replicabilità.")
WECARE_PROBLEM = ("Nuovi bisogni sociali, risorse pubbliche limitate e servizi frammentati: serve "
                  "una visione generativa in cui chi usufruisce dei servizi stabilisca relazioni di "
                  "reciprocità e corresponsabilità, secondo la sussidiarietà circolare.")


def _wecare(code, title, objective, theme, amount, timeline, started, ended, targets, extra=""):
    return PIEMONTE, theme, ("published", 1), PracticeDraft(
        title=f"WECARE {code} – {title}", summary=f"{objective}. {WECARE}",
        primary_group_id=0, scale="regional", started_on=started, ended_on=ended,
        problem=WECARE_PROBLEM,
        intervention=f"**Obiettivo**: {objective}.\n\n**Tempi**: {timeline}.{extra}",
        targets=targets, organisations=[REGIONE],
        fundings=[Funding("fesr" if code == "FESR" else "fse", f"WECARE – Misura {code}",
                          Decimal(amount))],
        evidence_level=1,
        evidence_justification="Misura descritta dalla strategia regionale; esiti da monitorare.",
        contact_role="Direzione Coesione sociale – Settore innovazione sociale",
        contact_office="Regione Piemonte, Torino")


DEMO = "[Dimostrativa] "
PRACTICES = [
    _wecare("FSE1", "Sperimentazione di azioni innovative di welfare territoriale",
            "Sviluppare welfare di prossimità, sostenendo sperimentazioni di innovazione sociale "
            "che sappiano valorizzare le connessioni territoriali espresse dai Distretti della "
            "Coesione Sociale", "ambiti-territoriali-governance", "6400000.00",
            "bando ottobre 2017; progettazione I semestre 2018; sperimentazioni II semestre "
            "2018 – 2020", date(2017, 10, 1), date(2020, 12, 31), ["community", "poverty"],
            "\n\nLa misura agisce sulla domanda di innovazione e promuove una migliore governance "
            "locale per creare ecosistemi territoriali fertili."),
    _wecare("FSE2", "Progetti di innovazione sociale per il terzo settore",
            "Sostenere sperimentazioni di innovazione sociale implementate in servizi erogati "
            "dagli enti di terzo settore", "prossimita-domiciliarita", "3600000.00",
            "bando I semestre 2018; sperimentazioni II semestre 2018 – 2020",
            date(2018, 1, 1), date(2020, 12, 31), ["community", "older_people", "disabilities"]),
    _wecare("FSE3", "Promozione del welfare aziendale",
            "Progettazione ed attivazione di interventi di welfare aziendale che tengano conto "
            "dei bisogni espressi dal territorio", "integrazione-sociale-lavoro-sviluppo-sanita",
            "4000000.00", "bando I semestre 2018; sperimentazioni II semestre 2018 – 2020",
            date(2018, 1, 1), date(2020, 12, 31), ["minors_families", "unemployed"]),
    _wecare("FESR", "Rafforzamento di attività imprenditoriali che producono effetti socialmente "
            "desiderabili", "Progetti in ambito sanitario e socio-assistenziale, aggregazione "
            "dimensionale e scalabilità delle imprese", "finanza-impatto-sociale", "5000000.00",
            "valutazione ex ante; bando I semestre 2018", date(2018, 1, 1), None,
            ["community"]),
    _wecare("FSE4", "Azione di accompagnamento",
            "Supporto agli ambiti territoriali nella progettazione e realizzazione delle "
            "sperimentazioni", "formazione-operatori", "1000000.00",
            "fase 1 I semestre 2018; fase 2 II semestre 2018 – 2020", date(2018, 1, 1),
            date(2020, 12, 31), ["care_workers"]),
    ("delegata.toscana@laboratorio.example", "prossimita-domiciliarita", ("published", 2),
     PracticeDraft(
         title=DEMO + "Portierato sociale nei quartieri di edilizia pubblica",
         summary="Dato dimostrativo. Un portiere sociale per ogni complesso di case popolari "
                 "ascolta gli inquilini anziani, segnala i bisogni ai servizi e organizza "
                 "piccoli aiuti di vicinato.",
         primary_group_id=0, scale="municipal", started_on=date(2019, 3, 1),
         problem="Anziani soli nelle case popolari, che i servizi scoprono solo in emergenza.",
         intervention="1. Selezione di portieri tra gli inquilini.\n2. Formazione di 40 ore.\n"
                      "3. Sportello settimanale e visite a domicilio.",
         lessons="Il ruolo funziona se il portiere è conosciuto e stimato dagli inquilini.",
         targets=["older_people", "community"],
         organisations=[Organisation("Comune dimostrativo di Toscana", "public_body", True),
                        Organisation("Cooperativa sociale dimostrativa", "third_sector")],
         fundings=[Funding("regional_budget", "Bando dimostrativo welfare di comunità",
                           Decimal("180000.00"))],
         indicators=[Indicator("Anziani seguiti", "persone", Decimal(0), Decimal(150),
                               Decimal(172), date(2021, 12, 31))],
         evidence_level=2, evidence_justification="Monitoraggio trimestrale degli accessi.",
         contact_role="Ufficio politiche abitative (dato dimostrativo)")),
    ("delegato.puglia@laboratorio.example", "dati-nel-sociale", ("submitted", None),
     PracticeDraft(
         title=DEMO + "Cartella sociale unica tra ambiti territoriali",
         summary="Dato dimostrativo. Gli ambiti condividono una cartella sociale informatizzata "
                 "per non chiedere due volte gli stessi documenti alle famiglie.",
         primary_group_id=0, scale="district", started_on=date(2021, 1, 1),
         targets=["minors_families", "poverty"],
         organisations=[Organisation("Ambito territoriale dimostrativo", "public_body", True)],
         fundings=[Funding("pnrr", "Missione 5 (dimostrativo)", Decimal("250000.00"))],
         evidence_level=1, contact_role="Ufficio di piano (dato dimostrativo)")),
    ("delegata.trento@laboratorio.example", "tecnologie-servizi", ("published", 1),
     PracticeDraft(
         title=DEMO + "Teleassistenza con tablet: perché non ha funzionato",
         summary="Dato dimostrativo. Tablet consegnati a 300 anziani per le videochiamate con "
                 "i servizi: dopo sei mesi li usava meno di uno su dieci.",
         kind="lesson", primary_group_id=0, scale="provincial", started_on=date(2019, 9, 1),
         ended_on=date(2020, 6, 30),
         problem="Isolamento degli anziani nelle valli, lontani dai servizi.",
         lessons="La tecnologia senza una persona di riferimento non crea relazione: serviva un "
                 "operatore che accompagnasse l'uso, non solo un dispositivo.",
         transfer_conditions="Prevedere fin dall'inizio operatori di prossimità e formazione.",
         targets=["older_people"],
         organisations=[Organisation("Azienda dimostrativa per i servizi alla persona",
                                     "public_body", True)],
         indicators=[Indicator("Anziani che usano il tablet ogni settimana", "%",
                               None, Decimal(60), Decimal(8), date(2020, 6, 30))],
         evidence_level=2, evidence_justification="Dati d'uso dei dispositivi.",
         contact_role="Servizio politiche sociali (dato dimostrativo)")),
    ("delegata.toscana@laboratorio.example", "formazione-operatori", ("draft", None),
     PracticeDraft(
         title=DEMO + "Supervisione di gruppo per gli assistenti sociali",
         summary="Dato dimostrativo. Incontri mensili di supervisione per prevenire il burnout.",
         primary_group_id=0, scale="district", started_on=date(2022, 2, 1),
         targets=["care_workers"], evidence_level=1)),
]


def _coordinator_of(group, admin):
    """The group's first coordinator; the spare demo coordinator if it has none."""
    current = groups.coordinators(group)
    if current:
        return current[0].user
    spare = user_by_email(SPARE_COORDINATOR)
    appoint_coordinator(admin, group, spare)
    return spare


def load() -> list[str]:
    """Create the demo practices unless they exist; return what to print."""
    admin, board = user_by_email(ADMIN), user_by_email(BOARD)
    if admin is None or board is None:
        return []
    existing = set(db.session.scalars(select(Practice.title)))
    for email, slug, (state, level), draft in PRACTICES:
        author = user_by_email(email)
        if author is None or draft.title in existing:
            continue
        group = groups.group_by_slug(slug)
        practice = services.create_practice(author, replace(draft, primary_group_id=group.id),
                                            demo=True)
        if state == "draft":
            continue
        workflow.submit_practice(author, practice)
        if state == "published":
            workflow.approve_practice(_coordinator_of(group, admin), practice, level)
            workflow.publish_practice(board, practice)
    return [f"Demo library: {len(PRACTICES)} practices (WECARE's five measures published for "
            "Piemonte); Francesca Galli (comitato@) is the editorial board."]
