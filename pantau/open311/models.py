"""Open311 GeoReport v2 (issue 11): the API clients that may file reports, and what a client sent with a
report that the case itself has no field for (the service chosen, the location, the token).

An API key is shown once when it is issued; only its SHA-256 hash is kept (the key is 32 random bytes, so a
plain hash is as strong as a slow one), with a short prefix to recognise it in lists and logs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """An application that may POST service requests (an API key holder)."""

    name = models.CharField(_("nama aplikasi"), max_length=150)
    key_prefix = models.CharField(max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hourly_limit = models.PositiveIntegerField(_("batas laporan per jam"), default=60)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Submission(models.Model):
    """A case filed through ``POST requests``: who filed it, the service (substance) chosen, the location
    given, and the token that answers ``GET tokens/{token}``."""

    case = models.OneToOneField("complaints.Case", on_delete=models.CASCADE, related_name="open311")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="submissions")
    service_code = models.CharField(max_length=60)
    token = models.CharField(max_length=40, unique=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"open311 #{self.pk}"
