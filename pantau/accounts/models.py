"""Users, their roles and where each role applies (memberships), API tokens, invitations."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def display_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    HEAD_OF_OFFICE = "head_of_office", _("Kepala perwakilan")
    ASSESSOR = "assessor", _("Asisten penilai")
    INTAKE_OFFICER = "intake_officer", _("Petugas penerimaan laporan (PVL)")
    EXAMINER = "examiner", _("Asisten pemeriksa")
    INSTITUTION_ADMIN = "institution_admin", _("Admin instansi")
    UNIT_OPERATOR = "unit_operator", _("Operator unit layanan")


OFFICE_ROLES = frozenset(
    {Role.HEAD_OF_OFFICE, Role.ASSESSOR, Role.INTAKE_OFFICER, Role.EXAMINER}
)
PROVIDER_ROLES = frozenset({Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR})


class Membership(models.Model):
    """One role of a user and where it applies: nationally, an office, an institution or a unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        "registry.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    institution = models.ForeignKey(
        "registry.Institution", null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        "registry.ServiceUnit", null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(role="national_admin", office__isnull=True, institution__isnull=True,
                             unit__isnull=True)
                    | models.Q(role__in=["head_of_office", "assessor", "intake_officer", "examiner"],
                               office__isnull=False, institution__isnull=True, unit__isnull=True)
                    | models.Q(role="institution_admin", office__isnull=True, institution__isnull=False,
                               unit__isnull=True)
                    | models.Q(role="unit_operator", office__isnull=True, institution__isnull=True,
                               unit__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        where = self.office or self.institution or self.unit or _("nasional")
        return f"{self.get_role_display()} — {where}"


class Invitation(models.Model):
    """An invitation to join with one role; the link carries a random token, stored hashed."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    office = models.ForeignKey("registry.Office", null=True, blank=True, on_delete=models.CASCADE)
    institution = models.ForeignKey(
        "registry.Institution", null=True, blank=True, on_delete=models.CASCADE
    )
    unit = models.ForeignKey("registry.ServiceUnit", null=True, blank=True, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when staff withdraw the invitation: its link stops working at once.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A bearer token for the write API. Only its hash is stored; it acts as its user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
