"""Forget cached product stamps when what a public product page shows changes.

Connected in ``RegistryConfig.ready``. Every change of a product, unit, institution or office
goes through ``save()`` (services, imports, ``refresh_current_standard``); the stamps of the
products it touches are deleted at once and again once the transaction commits (``selectors.public_product_stamp``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from pantau.registry.models import Institution, Office, ServiceProduct, ServiceUnit
from pantau.registry.selectors import forget_product_stamps


def _forget_later(product_ids: Any) -> None:
    """Now (so the writing request sees its change) and again after the commit (a visit between the
    two may have cached the stamp as it was before the change)."""
    ids = list(product_ids)
    forget_product_stamps(ids)
    transaction.on_commit(lambda: forget_product_stamps(ids))


def _product_saved(sender: Any, instance: ServiceProduct, **kwargs: Any) -> None:
    _forget_later([instance.pk])


def _unit_saved(sender: Any, instance: ServiceUnit, **kwargs: Any) -> None:
    _forget_later(ServiceProduct.objects.filter(unit=instance.pk).values_list("pk", flat=True))


def _institution_saved(sender: Any, instance: Institution, **kwargs: Any) -> None:
    _forget_later(ServiceProduct.objects.filter(unit__institution=instance.pk).values_list("pk", flat=True))


def _office_saved(sender: Any, instance: Office, **kwargs: Any) -> None:
    _forget_later(ServiceProduct.objects.filter(unit__institution__office=instance.pk).values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(_product_saved, sender=ServiceProduct, dispatch_uid="pantau-stamp-product")
    post_save.connect(_unit_saved, sender=ServiceUnit, dispatch_uid="pantau-stamp-unit")
    post_save.connect(_institution_saved, sender=Institution, dispatch_uid="pantau-stamp-institution")
    post_save.connect(_office_saved, sender=Office, dispatch_uid="pantau-stamp-office")
