"""The demo data of every domain, loaded by ``flask --app wsgi lab seed-demo``."""
from lab.accounts import demo as accounts_demo
from lab.events import demo as events_demo
from lab.groups import demo as groups_demo
from lab.library import demo as library_demo
from lab.pact import demo as pact_demo
from lab.rooms import demo as rooms_demo


def load_demo() -> list[str]:
    """Load each domain's demo data (idempotent) and return what to print."""
    return (accounts_demo.load() + pact_demo.load() + groups_demo.load() + rooms_demo.load()
            + library_demo.load() + events_demo.load())
