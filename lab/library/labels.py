"""The words shown for the library's stored values (kinds, states, lists), in Italian first."""
from flask_babel import lazy_gettext as _l

from lab.library.models import (
    FundingSource, OrganisationType, PracticeKind, PracticeStatus, Scale, TargetGroup,
)

KINDS = {
    PracticeKind.GOOD_PRACTICE: _l("Buona pratica"),
    PracticeKind.LESSON: _l("Lezione da un'esperienza non riuscita"),
}
STATUSES = {
    PracticeStatus.DRAFT: _l("Bozza"),
    PracticeStatus.SUBMITTED: _l("Inviata ai coordinatori"),
    PracticeStatus.CHANGES_REQUESTED: _l("Modifiche richieste"),
    PracticeStatus.APPROVED: _l("Approvata, in attesa di pubblicazione"),
    PracticeStatus.PUBLISHED: _l("Pubblicata"),
    PracticeStatus.ARCHIVED: _l("Archiviata"),
}
TARGETS = {
    TargetGroup.OLDER_PEOPLE: _l("Persone anziane"),
    TargetGroup.DISABILITIES: _l("Persone con disabilità"),
    TargetGroup.MINORS_FAMILIES: _l("Minori e famiglie"),
    TargetGroup.POVERTY: _l("Persone in povertà o a rischio"),
    TargetGroup.MIGRANTS: _l("Persone migranti"),
    TargetGroup.UNEMPLOYED: _l("Persone disoccupate"),
    TargetGroup.CARE_WORKERS: _l("Operatori sociali e sanitari"),
    TargetGroup.COMMUNITY: _l("Tutta la comunità"),
}
SCALES = {
    Scale.MUNICIPAL: _l("Comunale"),
    Scale.DISTRICT: _l("Distretto o ambito territoriale"),
    Scale.PROVINCIAL: _l("Provinciale"),
    Scale.REGIONAL: _l("Regionale"),
    Scale.INTERREGIONAL: _l("Interregionale"),
}
ORGANISATION_TYPES = {
    OrganisationType.PUBLIC_BODY: _l("Ente pubblico"),
    OrganisationType.THIRD_SECTOR: _l("Ente del terzo settore"),
    OrganisationType.SOCIAL_ENTERPRISE: _l("Impresa sociale"),
    OrganisationType.COMPANY: _l("Impresa"),
    OrganisationType.FOUNDATION: _l("Fondazione"),
    OrganisationType.UNIVERSITY: _l("Università o centro di ricerca"),
}
FUNDING_SOURCES = {
    FundingSource.FSE: _l("FSE / FSE+"),
    FundingSource.FESR: _l("FESR"),
    FundingSource.PNRR: _l("PNRR"),
    FundingSource.FSC: _l("FSC"),
    FundingSource.REGIONAL_BUDGET: _l("Bilancio regionale"),
    FundingSource.LOCAL_BUDGET: _l("Bilancio dell'ente locale"),
    FundingSource.FOUNDATION: _l("Fondazione"),
    FundingSource.PRIVATE: _l("Fondi privati"),
    FundingSource.IMPACT_FINANCE: _l("Finanza a impatto"),
}
EVIDENCE_LEVELS = {
    1: _l("1 – Descritta"),
    2: _l("2 – Risultati monitorati (almeno un indicatore con valore raggiunto)"),
    3: _l("3 – Esiti valutati (documento di valutazione allegato)"),
    4: _l("4 – Valutazione comparativa o controfattuale (documento allegato)"),
}
# The snapshot's fields in the order the sheet, the revisions and the diff show them.
FIELDS = {
    "title": _l("Titolo"),
    "kind": _l("Tipo"),
    "summary": _l("Sintesi"),
    "indicators": _l("Risultati"),
    "evidence": _l("Livello di evidenza"),
    "problem": _l("Problema affrontato"),
    "intervention": _l("Intervento"),
    "lessons": _l("Lezioni apprese e difficoltà"),
    "transfer_conditions": _l("Condizioni per trasferirla altrove"),
    "themes": _l("Temi"),
    "targets": _l("Destinatari"),
    "where": _l("Dove"),
    "period": _l("Periodo"),
    "organisations": _l("Organizzazioni"),
    "fundings": _l("Finanziamenti"),
    "attachments": _l("Allegati"),
    "links": _l("Collegamenti"),
    "contact": _l("Contatto"),
}
