"""Model fields shared by the modules.

``BoundedTextField``: a ``TextField`` whose ``max_length`` is enforced. Django only passes a
TextField's ``max_length`` to the form widget; here it is a model validator too (so the services'
``full_clean`` refuses oversized text from every path: form, API, import), the form field checks
it with the same message, and ``max_lines``/``max_line_length`` bound text written one item per
line. API schemas and import columns read the limits from the model field (one source of truth).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

TOO_LONG = _("Teks ini terlalu panjang: %(show_value)d karakter, paling banyak %(limit_value)d. "
             "Ringkas isinya.")


def text_lines(value: str) -> list[str]:
    """The non-blank lines of a text (the items of a one-per-line field)."""
    return [line for line in str(value or "").splitlines() if line.strip()]


@deconstructible
class LinesValidator:
    """At most ``max_lines`` non-blank lines, each at most ``max_line_length`` characters."""

    def __init__(self, max_lines: int, max_line_length: int) -> None:
        self.max_lines = max_lines
        self.max_line_length = max_line_length

    def __call__(self, value: Any) -> None:
        lines = text_lines(value)
        if len(lines) > self.max_lines:
            raise ValidationError(
                _("Terlalu banyak baris: %(count)d, paling banyak %(limit)d (satu butir per baris). "
                  "Gabungkan butir yang serupa atau rujuk dokumen yang memuat rinciannya."),
                code="max_lines", params={"count": len(lines), "limit": self.max_lines},
            )
        for number, line in enumerate(lines, start=1):
            if len(line.strip()) > self.max_line_length:
                raise ValidationError(
                    _("Baris ke-%(line)d terlalu panjang: %(count)d karakter, paling banyak %(limit)d per baris."),
                    code="max_line_length",
                    params={"line": number, "count": len(line.strip()), "limit": self.max_line_length},
                )

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, LinesValidator) and other.max_lines == self.max_lines
                and other.max_line_length == self.max_line_length)

    def __hash__(self) -> int:
        return hash((self.max_lines, self.max_line_length))


class TextareaField(forms.CharField):
    """A form field for multi-line text that counts a line break as one character, as the browser's
    ``maxlength`` does (browsers send ``\r\n``, which would count twice)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class BoundedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField with an enforced ``max_length`` and, optionally, bounded lines."""

    def __init__(self, *args: Any, max_lines: int | None = None, max_line_length: int | None = None,
                 **kwargs: Any) -> None:
        if not kwargs.get("max_length"):
            raise TypeError("BoundedTextField needs max_length")
        self.max_lines = max_lines
        self.max_line_length = max_line_length
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self) -> list[Any]:
        limit = int(self.max_length or 0)
        extra: list[Any] = [MaxLengthValidator(limit, message=TOO_LONG)]
        if self.max_lines is not None:
            extra.append(LinesValidator(self.max_lines, self.max_line_length or limit))
        return [*super().validators, *extra]

    def formfield(self, **kwargs: Any) -> Any:
        messages = {"max_length": TOO_LONG, **kwargs.pop("error_messages", {})}
        kwargs.setdefault("form_class", TextareaField)
        field: forms.Field | None = super().formfield(error_messages=messages, **kwargs)
        return field

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.max_lines is not None:
            kwargs["max_lines"] = self.max_lines
        if self.max_line_length is not None:
            kwargs["max_line_length"] = self.max_line_length
        return name, path, args, kwargs
