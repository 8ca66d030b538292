"""Form helpers shared by all modules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_validation_error(form: forms.BaseForm, exc: ValidationError, default_field: str | None = None) -> None:
    """Attach a service's ValidationError to the form: per field where the field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else (default_field if field != NON_FIELD_ERRORS else None)
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(default_field if default_field in form.fields else None, message)
