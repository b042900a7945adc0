"""Signing on behalf of a region, withdrawing, and what is refused."""
import pytest
from sqlalchemy import func, select

from lab.accounts import twofactor
from lab.accounts.audit import AuditEntry
from lab.core.errors import Conflict, DomainError, NotPermitted
from lab.extensions import db
from lab.pact import integrity, services, versions
from lab.pact.models import LedgerEntry
from tests.factories import make_person
from tests.pact.conftest import declaration


def entry_count():
    return db.session.scalar(select(func.count()).select_from(LedgerEntry))


def test_delegate_with_authority_signs_for_their_region(sign, signatory, version):
    entry = sign(signatory)
    assert (entry.seq, entry.kind, entry.region.slug) == (1, "adhesion", "piemonte")
    assert entry.text_hash == version.text_hash
    assert entry.signer_name == "Fiorella Firma"
    assert entry.signer_title == "Assessore alle Politiche sociali"
    assert entry.mandate_act == signatory.current_mandate().act


def test_second_signature_for_the_same_version_is_refused(sign, signatory):
    sign(signatory)
    colleague = make_person("collega@example.org", "Collega", "delegate", "piemonte", mandate=True)
    with pytest.raises(Conflict, match="aderisce già"):
        sign(colleague)
    assert entry_count() == 1


@pytest.mark.parametrize("changes, error", [
    ({"password": "sbagliata"}, "password"),
    ({"declared": False}, "dichiarazione"),
    ({"title": " "}, "obbligatori"),
    ({"place": ""}, "obbligatori"),
])
def test_bad_declarations_record_nothing(sign, signatory, changes, error):
    with pytest.raises(DomainError, match=error):
        sign(signatory, **changes)
    assert entry_count() == 0


def test_delegate_without_mandate_cannot_sign(sign, delegate):
    with pytest.raises(NotPermitted):
        sign(delegate)
    assert entry_count() == 0


def test_ended_mandate_cannot_sign(sign, signatory, region_admin):
    from lab.accounts.services import end_mandate

    end_mandate(region_admin, signatory.mandates[0])
    with pytest.raises(NotPermitted):
        sign(signatory)


def test_superseded_version_cannot_be_signed(admin, signatory, version):
    versions.publish(admin, versions.save_draft(admin, "Patto v2", "Testo nuovo"))
    with pytest.raises(DomainError, match="versione in vigore"):
        services.sign_pact(signatory, version, declaration(signatory))
    assert entry_count() == 0


def test_region_that_adhered_to_an_older_version_may_adhere_to_the_new(admin, sign, signatory):
    sign(signatory)
    standing = {s.region.slug: s for s in services.register_as_of()}
    assert standing["piemonte"].status == "adhering"
    versions.publish(admin, versions.save_draft(admin, "Patto v2", "Testo nuovo"))
    standing = {s.region.slug: s for s in services.register_as_of()}
    assert standing["piemonte"].status == "adhering_old"
    entry = sign(signatory)
    assert entry.version_number == 2
    assert {s.region.slug: s for s in services.register_as_of()}["piemonte"].status == "adhering"


def test_withdrawal_is_a_new_entry(sign, signatory):
    adhesion = sign(signatory)
    withdrawal = services.withdraw(signatory,
                                   declaration(signatory, reason="Cambio di indirizzo politico"))
    assert (withdrawal.seq, withdrawal.kind, withdrawal.reason) == (2, "withdrawal",
                                                                     "Cambio di indirizzo politico")
    assert db.session.get(LedgerEntry, adhesion.seq).kind == "adhesion"
    assert {s.region.slug: s for s in services.register_as_of()}["piemonte"].status == "withdrawn"


def test_withdrawal_needs_a_reason_and_an_adhesion(sign, signatory):
    with pytest.raises(Conflict):
        services.withdraw(signatory, declaration(signatory))
    sign(signatory)
    with pytest.raises(DomainError):
        services.withdraw(signatory, declaration(signatory, reason=""))
    assert entry_count() == 1


def test_new_entries_notify_region_and_platform_admins(sign, signatory, region_admin,
                                                      other_region_admin, admin, smtp):
    sign(signatory)
    recipients = {m["To"] for m in smtp.messages}
    assert recipients == {region_admin.email, admin.email}
    assert "Piemonte" in smtp.messages[0]["Subject"]


def test_entries_are_audited(sign, signatory):
    entry = sign(signatory)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "pact.adhesion")).one()
    assert audit.actor_id == signatory.id and audit.details["seq"] == str(entry.seq)


def test_register_on_a_past_day(sign, signatory):
    from datetime import date, timedelta

    from lab.core.timeutil import rome_today

    sign(signatory)
    yesterday = {s.region.slug: s for s in services.register_as_of(rome_today() - timedelta(days=1))}
    assert yesterday["piemonte"].status == "none"
    today = {s.region.slug: s for s in services.register_as_of(rome_today())}
    assert today["piemonte"].status == "adhering"
    assert len(today) == 21 and date.today()


def test_crash_between_computing_and_storing_leaves_the_chain_intact(sign, signatory, monkeypatch):

    def crash():
        raise RuntimeError("power cut")

    monkeypatch.setattr(db.session, "commit", crash)
    with pytest.raises(RuntimeError):
        sign(signatory)
    monkeypatch.undo()
    assert entry_count() == 0
    assert integrity.verify_ledger().ok
    assert sign(signatory).seq == 1


# --- the second factor: a password alone signs nothing ------------------------------------------

def test_password_with_a_wrong_code_writes_no_entry(sign, signatory):
    from tests.factories import enable_two_factor

    enable_two_factor(signatory)
    settings = twofactor.settings_of(signatory)
    stale = twofactor.authenticator(settings).generate_otp(twofactor.current_step() - 10)
    with pytest.raises(twofactor.WrongCode):
        sign(signatory, code=stale)
    assert entry_count() == 0
    refused = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "two_factor.refused"))
    assert refused.one().subject_id == signatory.id


def test_a_code_already_used_cannot_sign(sign, signatory, monkeypatch):
    code = declaration(signatory).code
    now = twofactor.current_step()
    monkeypatch.setattr(twofactor, "current_step", lambda: now)  # all within one step
    twofactor.check_code(signatory, code)  # say, at sign-in
    db.session.commit()
    with pytest.raises(twofactor.WrongCode, match="già stato usato"):
        sign(signatory, code=code)
    assert entry_count() == 0


def test_a_recovery_code_cannot_sign(sign, signatory):
    from tests.factories import enable_two_factor

    recovery = enable_two_factor(signatory)
    with pytest.raises(twofactor.WrongCode):
        sign(signatory, code=recovery[0])
    assert entry_count() == 0 and twofactor.recovery_codes_left(signatory) == 10


def test_a_signatory_without_two_factor_cannot_sign_or_withdraw(sign, signatory, version):
    for act in (lambda: services.sign_pact(signatory, version, declaration(code="123456")),
                lambda: services.withdraw(signatory, declaration(code="123456"))):
        with pytest.raises(DomainError, match="Attiva prima l'accesso in due passaggi"):
            act()
    assert entry_count() == 0
