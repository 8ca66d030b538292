from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pantau.accounts.models import Role
from pantau.registry.models import Institution, Office, ServiceUnit


class RoleForm(forms.Form):
    """A role and where it applies; the choices are limited to what the actor may grant."""

    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    office = forms.ModelChoiceField(label=_("Kantor Ombudsman"), queryset=Office.objects.none(),
                                    required=False)
    institution = forms.ModelChoiceField(label=pgettext_lazy("one, as a form field", "Instansi"),
                                         queryset=Institution.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=pgettext_lazy("one, as a form field", "Unit layanan"),
                                  queryset=ServiceUnit.objects.none(), required=False)

    def __init__(self, *args: Any, offices: Any, institutions: Any, units: Any, roles: list[tuple[str, Any]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.select_related("institution")  # type: ignore[attr-defined]
        # Units of different institutions share names ("Dinas Kependudukan ..."): say whose it is.
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} — {u.institution.name}"  # type: ignore[attr-defined]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class InvitationForm(RoleForm):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)

    field_order = ["email", "full_name", "role", "office", "institution", "unit"]


class MembershipForm(RoleForm):
    reason = forms.CharField(label=_("Alasan (opsional)"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan (opsional)"), max_length=500, required=False)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    username = forms.RegexField(
        label=_("Nama pengguna"), max_length=150, regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Gunakan huruf, angka, dan . @ + - _ saja.")},
    )
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, min_length=10)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=100)
