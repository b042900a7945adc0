"""The eight themes that section 5 of the Pact proposes to the Laboratory, present in every install.

Migration 0003 inserts a frozen copy of this list; ``ensure_themes`` restores missing ones
(the demo data and the suite, whose tables are emptied between tests, rely on it).
"""
from sqlalchemy import select

from lab.extensions import db
from lab.groups.models import Group

# slug, Italian name, English name, Italian description, English description
THEMES = [
    ("prossimita-domiciliarita",
     "Politiche di prossimità e domiciliarità",
     "Proximity and home-care policies",
     "Servizi che riconoscono la persona nella sua globalità, con il suo «interno» e il suo "
     "«intorno»: sostenere le relazioni di prossimità e la domiciliarità, anche nei contesti "
     "istituzionalizzati.",
     "Services that see the person as a whole, with their 'inside' and their 'surroundings': "
     "supporting neighbourhood relationships and life at home, also in institutional settings."),
    ("ambiti-territoriali-governance",
     "Ambiti territoriali e governance locale",
     "Territorial districts and local governance",
     "Forme di gestione e di governance su più livelli, orientate ai diversi portatori di "
     "interesse e adeguate ai valori e alle capacità di ciascun territorio.",
     "Multi-level management and governance, geared to the different stakeholders and suited to "
     "the values and capacities of each territory."),
    ("patti-sussidiarieta",
     "Creazione di patti di sussidiarietà territoriali",
     "Territorial subsidiarity pacts",
     "Patti che impegnano pubblica amministrazione, economia e società civile di uno stesso "
     "territorio a concorrere al bene comune, secondo il principio di sussidiarietà circolare.",
     "Pacts that commit the public administration, businesses and civil society of a territory to "
     "work for the common good, following the principle of circular subsidiarity."),
    ("integrazione-sociale-lavoro-sviluppo-sanita",
     "Integrazione di servizi e politiche tra sociale, lavoro, sviluppo e sanità",
     "Integrating social, employment, development and health policies",
     "Coniugare politiche sociali, politiche del lavoro, sviluppo economico e sanità, pensando "
     "alla coesione sociale come occasione di sviluppo del territorio.",
     "Bringing together social, employment, economic development and health policies, with social "
     "cohesion seen as an opportunity for the territory's development."),
    ("dati-nel-sociale",
     "Informatizzazione e utilizzo intelligente dei dati nel sociale",
     "Digitalisation and smart use of data in social policy",
     "Sistemi informativi e uso dei dati per conoscere i bisogni, programmare gli interventi e "
     "valutarne gli effetti.",
     "Information systems and data for understanding needs, planning interventions and assessing "
     "their effects."),
    ("tecnologie-servizi",
     "Integrazione di tecnologie nell'erogazione dei servizi",
     "Technology in the delivery of services",
     "Tecnologie che avvicinano i servizi alle persone e ne migliorano l'accesso, la qualità e il "
     "coordinamento.",
     "Technologies that bring services closer to people and improve their access, quality and "
     "coordination."),
    ("finanza-impatto-sociale",
     "Forme innovative di finanza ad impatto sociale",
     "Innovative social impact finance",
     "Strumenti finanziari che legano le risorse ai risultati sociali raggiunti e coinvolgono "
     "investitori pubblici e privati.",
     "Financial instruments that tie resources to the social outcomes achieved and involve public "
     "and private investors."),
    ("formazione-operatori",
     "Formazione degli operatori sociali",
     "Training for social workers",
     "Approfondimento e formazione tecnica sui temi dell'innovazione sociale, anche in vista "
     "delle sperimentazioni concrete delle Regioni.",
     "In-depth technical training on social innovation, also with a view to the regions' own "
     "pilot projects."),
]


def ensure_themes() -> list[Group]:
    """Create any of the eight theme groups that is missing and return all eight."""
    existing = {g.slug: g for g in db.session.scalars(select(Group).where(Group.is_theme))}
    for position, (slug, name_it, name_en, desc_it, desc_en) in enumerate(THEMES, start=1):
        if slug not in existing:
            existing[slug] = Group(slug=slug, name_it=name_it, name_en=name_en,
                                   description_it=desc_it, description_en=desc_en,
                                   is_theme=True, position=position)
            db.session.add(existing[slug])
    db.session.commit()
    return [existing[slug] for slug, *_ in THEMES]
