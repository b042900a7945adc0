"""The base of every form: each field's input is checked as text before its own validators."""
from flask_wtf import FlaskForm
from wtforms.validators import StopValidation

from lab.core.text import text_problem


def valid_text(form, field) -> None:
    """Refuse a field whose input holds text that cannot be stored (see ``lab.core.text``)."""
    for value in field.raw_data or ():
        problem = isinstance(value, str) and text_problem(value)
        if problem:
            raise StopValidation(problem)


class Form(FlaskForm):
    """A Flask-WTF form whose every field first passes ``valid_text``.

    tests/core/test_text.py checks that every form of the application derives from it.
    """

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            field.validators = [valid_text, *field.validators]
            return field
