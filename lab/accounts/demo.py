"""Demo people: an admin, Piemonte's region admin and delegates, delegates of three more members."""
from datetime import date, datetime

from lab.accounts.models import Role
from lab.accounts.setup import ensure_person

DEMO_PASSWORD = "Laboratorio-demo-2019"

DEMO_PEOPLE = [
    ("admin@laboratorio.example", "Giulia Amministratrice", [Role.PLATFORM_ADMIN], None, None),
    ("admin.piemonte@laboratorio.example", "Marco Rossi", [Role.REGION_ADMIN], "piemonte", None),
    ("firma.piemonte@laboratorio.example", "Elena Bianchi", [Role.DELEGATE], "piemonte",
     ("DGR n. 1-2345 del 18/01/2019 (dato dimostrativo)", date(2019, 1, 18))),
    ("delegato.piemonte@laboratorio.example", "Luca Ferrero", [Role.DELEGATE], "piemonte", None),
    ("delegata.toscana@laboratorio.example", "Chiara Neri", [Role.DELEGATE], "toscana", None),
    ("delegato.puglia@laboratorio.example", "Antonio De Santis", [Role.DELEGATE], "puglia", None),
    ("delegata.trento@laboratorio.example", "Anna Moser", [Role.DELEGATE], "trento", None),
    ("firma.lazio@laboratorio.example", "Paolo Romano", [Role.DELEGATE], "lazio",
     ("DGR n. 3-4567 del 02/03/2020 (dato dimostrativo)", date(2020, 3, 2))),
    ("firma.sardegna@laboratorio.example", "Maria Sanna", [Role.DELEGATE], "sardegna",
     ("DGR n. 5-6789 del 15/01/2019 (dato dimostrativo)", date(2019, 1, 15))),
    ("organizzatrice@laboratorio.example", "Sara Colombo", [Role.ORGANISER], None, None),
    ("comitato@laboratorio.example", "Francesca Galli", [Role.EDITORIAL_BOARD], None, None),
    ("coordinatore.lazio@laboratorio.example", "Roberto Conti", [Role.DELEGATE], "lazio", None),
]


def load() -> list[str]:
    """Create the demo people if missing and describe their credentials."""
    lines = ["Demo accounts (demo only, never in production), password: " + DEMO_PASSWORD]
    for email, name, roles, region, mandate in DEMO_PEOPLE:
        ensure_person(email, name, DEMO_PASSWORD, roles, region, datetime(2019, 1, 1), mandate)
        lines.append(f"  {email:42} {', '.join(r.value for r in roles)} {region or ''}")
    return lines
