"""Public pages of the Pact, the signing and withdrawal pages, and the register's exports."""
import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from lab.accounts.twofactor_routes import refused, throttle_codes
from lab.core.csv import csv_response
from lab.core.errors import DomainError
from lab.core.links import external_url
from lab.core.pagecache import kept_for_visitors
from lab.core.params import date_arg
from lab.pact import bp, exports, fragments, keys, ledger, occasions, services, versions
from lab.pact.forms import SignForm, WithdrawForm


@bp.get("")
@kept_for_visitors
def register():
    """Show the Pact in force, who adheres to it, and the map of Italy by status."""
    as_of = date_arg("as_of")
    key = fragments.register_key()
    options = (services.signatory_options(current_user)
               if current_user.is_authenticated and current_user.has_signatory_authority else None)
    return render_template("pact/register.html", as_of=as_of, options=options,
                           standings=fragments.standings(as_of, key),
                           text_in_force=fragments.text_in_force(key))


@bp.app_template_global()
def pact_standing(region):
    """Give a region's page its standing in the register (accounts knows nothing of the Pact)."""
    return fragments.standing_of(region)


@bp.get("/versions/<int:number>")
@kept_for_visitors
def version(number: int):
    """Show one version of the Pact and what changed from the one before."""
    shown = versions.version_by_number(number)
    if shown.status == "draft":
        abort(404)
    previous = versions.previous_version(shown)
    diff = versions.diff_lines(previous, shown) if previous else None
    return render_template("pact/version.html", version=shown, previous=previous, diff=diff)


@bp.route("/sign", methods=["GET", "POST"])
@login_required
@throttle_codes
def sign():
    """Sign the Pact on behalf of the delegate's region."""
    options = services.signatory_options(current_user)
    if not options.may_sign:
        return _nothing_to_do(options, options.why_not_sign())
    version, mandate = options.version, options.mandate
    form = SignForm()
    form.occasion.choices = [SelectChoice(0, "—")] + [
        SelectChoice(occasion.id, occasion.label) for occasion in occasions.current_occasions()]
    if form.validate_on_submit():
        try:
            entry = services.sign_pact(current_user, version, services.Declaration(
                password=form.password.data, code=form.code.data, declared=form.declared.data,
                title=form.title.data, place=form.place.data, event=form.event.data or "",
                occasion_id=form.occasion.data or None))
        except DomainError as error:
            refused(form.declared, error)
        else:
            flash(_("Adesione registrata: voce n. %(seq)d del registro.", seq=entry.seq), "success")
            return redirect(url_for("pact.entry", seq=entry.seq))
    status = 400 if form.errors else 200
    return render_template("pact/sign.html", form=form, version=version, mandate=mandate,
                           last=options.last), status


def _nothing_to_do(options: services.SignatoryOptions, reason: str):
    """Say up front why there is nothing to sign (or withdraw) and what the person can do."""
    return render_template("pact/nothing_to_do.html", options=options, reason=reason), \
        409 if request.method == "POST" else 200


@bp.route("/withdraw", methods=["GET", "POST"])
@login_required
@throttle_codes
def withdraw():
    """Withdraw the delegate's region from the Pact, stating why."""
    options = services.signatory_options(current_user)
    if not options.may_withdraw:
        return _nothing_to_do(options, options.why_not_withdraw())
    mandate = services.check_signatory(current_user, options.version)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            entry = services.withdraw(current_user, services.Declaration(
                password=form.password.data, code=form.code.data, declared=form.declared.data,
                place=form.place.data, reason=form.reason.data))
        except DomainError as error:
            refused(form.declared, error)
        else:
            flash(_("Recesso registrato: voce n. %(seq)d del registro.", seq=entry.seq), "success")
            return redirect(url_for("pact.entry", seq=entry.seq))
    status = 400 if form.errors else 200
    return render_template("pact/withdraw.html", form=form, mandate=mandate), status


@bp.get("/ledger/<int:seq>")
@kept_for_visitors
def entry(seq: int):
    """Show one register entry, its hashes, how to verify it and its QR code."""
    shown = services.entry_by_seq(seq)
    checkpoint = ledger.checkpoint_at(seq)
    document = ledger.checkpoint_document(checkpoint) if checkpoint else None
    url = external_url("pact.entry", seq=seq)
    return render_template("pact/entry.html", entry=shown, qr=exports.qr_svg(url),
                           checkpoint=document, fingerprint=keys.fingerprint(keys.public_key_b64()))


@bp.get("/ledger/<int:seq>/certificate.pdf")
def certificate(seq: int):
    """Download the PDF certificate of a register entry."""
    shown = services.entry_by_seq(seq)
    checkpoint = ledger.checkpoint_at(seq)
    pdf = exports.certificate_pdf(shown, external_url("pact.entry", seq=seq),
                                  ledger.checkpoint_document(checkpoint) if checkpoint else None)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="patto-registro-{seq}.pdf"'})


@bp.get("/ledger.json")
def ledger_json():
    """Publish the whole chain and the latest signed checkpoint, for anyone to verify."""
    latest = ledger.latest_checkpoint()
    document = {
        "entries": [exports.entry_document(row) for row in ledger.ledger_rows()],
        "checkpoint": ledger.checkpoint_document(latest) if latest else None,
    }
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")


@bp.get("/registry.csv")
def registry_csv():
    """Download the register as open data (CSV)."""
    return csv_response("registro-patto.csv", exports.CSV_COLUMNS,
                        exports.registry_rows(services.all_entries()))


@bp.get("/checkpoint")
def checkpoint():
    """Serve the latest signed checkpoint and the platform's pinned public key."""
    latest = ledger.latest_checkpoint()
    public_key = keys.public_key_b64()
    return {"checkpoint": ledger.checkpoint_document(latest) if latest else None,
            "public_key": public_key, "fingerprint": keys.fingerprint(public_key)}


@bp.get("/key")
def key():
    """Show the platform's public key, its fingerprint, and how to verify the register with it."""
    public_key = keys.public_key_b64()
    return render_template("pact/key.html", public_key=public_key,
                           fingerprint=keys.fingerprint(public_key),
                           ledger_url=external_url("pact.ledger_json"))


@bp.get("/key.pem")
def key_pem():
    """Download the platform's public key as a PEM file, for ``pact verify --public-key``."""
    return Response(keys.public_key_pem(keys.public_key_b64()), mimetype="text/plain",
                    headers={"Content-Disposition": 'inline; filename="patto-chiave-pubblica.pem"'})
