"""Domain errors and the error pages, in the user's language."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, SecurityError


class DomainError(Exception):
    """A rule of the domain said no; ``message`` is shown to the user as it is."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotPermitted(DomainError):
    status = 403


class SignedOut(NotPermitted):
    """The sign-in behind a request or a connection holds no more (signed out, password changed)."""


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


ERROR_PAGES = (400, 403, 404, 405, 409, 413, 429, 500, 503)
BUSY_RETRY_AFTER = 10  # seconds, in the Retry-After of a 503 answered when every connection is in use


def _titles() -> dict[int, str]:
    return {
        400: _("Richiesta non valida"),
        403: _("Accesso non consentito"),
        404: _("Pagina non trovata"),
        405: _("Metodo non consentito"),
        409: _("Operazione in conflitto"),
        413: _("File troppo grande"),
        429: _("Troppi tentativi"),
        500: _("Errore del server"),
        503: _("Servizio molto carico"),
    }


def _explanations() -> dict[int, str]:
    return {
        400: _("La richiesta contiene dati non validi o incompleti."),
        403: _("Non hai i permessi per accedere a questa pagina."),
        404: _("La pagina che cerchi non esiste o è stata spostata."),
        405: _("Questa pagina non accetta questo tipo di richiesta."),
        409: _("L'operazione è in conflitto con lo stato attuale."),
        413: _("Il file inviato supera la dimensione massima consentita."),
        429: _("Hai fatto troppi tentativi in poco tempo. Attendi qualche minuto e riprova."),
        500: _("Si è verificato un errore imprevisto. Il problema è stato registrato."),
        503: _("In questo momento il servizio riceve troppe richieste insieme e la tua potrebbe "
               "non essere stata completata. Riprova tra qualche secondo."),
    }


def render_error(status: int, message: str | None = None):
    """Answer an error as JSON to API clients and as a page to browsers."""
    status = status if status in ERROR_PAGES else 500
    text = message or _explanations()[status]
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        return jsonify(error=text, status=status), status
    return (
        render_template("errors/error.html", status=status, title=_titles()[status], message=text),
        status,
    )


def init_app(app) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        return render_error(error.status, error.message)

    @app.errorhandler(SecurityError)
    def handle_untrusted_host(error: SecurityError):
        # A Host outside TRUSTED_HOSTS leaves no URL adapter, so no page with links can render.
        return _("Richiesta non valida"), 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        message = error.description if error.code in (400, 403) and _is_custom(error) else None
        return render_error(error.code, message)

    @app.errorhandler(PoolTimeout)
    def handle_busy(error: PoolTimeout):
        # Every database connection stayed in use for DATABASE_POOL_TIMEOUT seconds: an
        # overload, not a fault of the code; say so, and when to try again.
        app.logger.warning("No database connection free on %s: %s", request.path, error)
        body, status = render_error(503)
        return body, status, {"Retry-After": str(BUSY_RETRY_AFTER)}

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(500)


def _is_custom(error: HTTPException) -> bool:
    """Tell whether the description was written by us rather than Werkzeug's English default."""
    return error.description != type(error).description
