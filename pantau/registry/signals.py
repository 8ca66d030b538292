"""Make cached product stamps and staff lists stale when what they show changes.

Connected in ``RegistryConfig.ready``. Every change of a product, unit, institution or office
goes through ``save()`` or ``delete()`` (services, imports, unit changes and their undo,
``refresh_current_standard``); the generations of the products it touches, and of the cached
lists, are forgotten at once and again once the transaction commits
(``selectors.forget_product_stamps``, ``pantau.core.cachegen``). A write that bypasses ``save()``
(``QuerySet.update``, ``bulk_create``) calls ``forget_product_stamps`` itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from pantau.registry.models import Institution, Office, ServiceProduct, ServiceUnit
from pantau.registry.selectors import forget_product_stamps


def _product_saved(sender: Any, instance: ServiceProduct, **kwargs: Any) -> None:
    forget_product_stamps([instance.pk])


def _unit_saved(sender: Any, instance: ServiceUnit, **kwargs: Any) -> None:
    forget_product_stamps(ServiceProduct.objects.filter(unit=instance.pk).values_list("pk", flat=True))


def _institution_saved(sender: Any, instance: Institution, **kwargs: Any) -> None:
    forget_product_stamps(
        ServiceProduct.objects.filter(unit__institution=instance.pk).values_list("pk", flat=True))


def _office_saved(sender: Any, instance: Office, **kwargs: Any) -> None:
    forget_product_stamps(
        ServiceProduct.objects.filter(unit__institution__office=instance.pk).values_list("pk", flat=True))


def connect() -> None:
    for signal, when in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_product_saved, sender=ServiceProduct, dispatch_uid=f"pantau-stamp-product-{when}")
        signal.connect(_unit_saved, sender=ServiceUnit, dispatch_uid=f"pantau-stamp-unit-{when}")
        signal.connect(_institution_saved, sender=Institution, dispatch_uid=f"pantau-stamp-institution-{when}")
        signal.connect(_office_saved, sender=Office, dispatch_uid=f"pantau-stamp-office-{when}")
