"""Text that cannot be stored is refused at every edge: forms, query strings, JSON bodies."""
import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select

import lab
from lab.core.forms import Form
from lab.core.text import InvalidText, check_text, check_texts, text_problem
from lab.extensions import db
from lab.groups.models import Group
from tests.conftest import sign_in


@pytest.mark.parametrize("value", ["x\ud800", "\udc00y", "a\x00b", "\x07", "\x1b[31m", "\x7f",
                                   "\x85"])
def test_unstorable_text_is_named(value):
    assert text_problem(value)
    with pytest.raises(InvalidText):
        check_text(value)


@pytest.mark.parametrize("value", ["", "Buongiorno", "riga\nriga\r\n\tfine", "città «così» – ok 🙂"])
def test_ordinary_text_passes(value):
    assert text_problem(value) is None and check_text(value) == value


def test_every_string_of_a_json_structure_is_checked():
    check_texts({"a": ["b", 1, None, {"c": "d"}]})
    with pytest.raises(InvalidText):
        check_texts({"a": [{"c": "x\ud800"}]})
    with pytest.raises(InvalidText):
        check_texts({"\x00": 1})


def test_every_form_of_the_application_checks_its_text(app):
    for module in pkgutil.walk_packages(lab.__path__, "lab."):
        importlib.import_module(module.name)
    forms, stack = [], list(FlaskForm.__subclasses__())
    while stack:
        form = stack.pop()
        forms.append(form)
        stack.extend(form.__subclasses__())
    escaped = [form.__qualname__ for form in forms
               if form.__module__.startswith("lab.") and not issubclass(form, Form)]
    assert len(forms) > 10 and escaped == [], "derive these from lab.core.forms.Form"


def test_a_form_field_with_a_nul_gets_a_form_error_not_a_500(client, admin):
    sign_in(client, admin)
    response = client.post("/groups/new", data={"name_it": "Welfare\x00generativo",
                                                "name_en": "Generative welfare"})
    assert response.status_code == 400
    assert "caratteri di controllo non ammessi" in response.get_data(as_text=True)
    assert db.session.scalar(select(Group).where(Group.name_it.like("Welfare%"))) is None


def test_the_sign_in_form_answers_a_nul_with_an_error(client, admin):
    response = client.post("/sign-in", data={"email": "admin@example.org\x00", "password": "x\x00"})
    assert response.status_code in (200, 400)
    assert "caratteri di controllo non ammessi" in response.get_data(as_text=True)


def test_a_query_string_with_a_nul_is_refused(client, admin):
    sign_in(client, admin)
    response = client.get("/admin/audit?actor=admin%00@example.org")
    assert response.status_code == 400
    assert "caratteri di controllo non ammessi" in response.get_data(as_text=True)


def test_a_json_body_with_a_lone_surrogate_is_refused(client):
    response = client.get("/", data='{"nome": "x\\ud800"}', content_type="application/json")
    assert response.status_code == 400
    assert "carattere non valido" in response.get_data(as_text=True)
    fine = client.get("/", data='{"nome": "ok"}', content_type="application/json")
    assert fine.status_code == 200
