"""Background tasks of the registry (Django's tasks API; ``pantau db_worker`` runs them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task

from pantau.registry import board
from pantau.registry.models import Institution, Office, ServiceProduct, ServiceUnit
from pantau.registry.selectors import current_standard


@task()
def render_boards(product_ids: list[int], language: str = "id") -> dict[str, int]:
    """Render and store the counter boards of these products (those with a standard in force).

    Enqueued when a standard is published or a product, unit, institution or office changes
    (``board.connect``), and by the board view when a visitor asks for a board that is not ready.
    A board already stored under its fingerprint is not rendered again.
    """
    done: dict[str, int] = {}
    products = ServiceProduct.objects.select_related("unit__institution__office").filter(
        pk__in=product_ids, is_active=True, unit__is_active=True)
    for product in products:
        standard = current_standard(product)
        outcome = "gone" if standard is None else board.render_and_store(product, standard, language)
        done[outcome] = done.get(outcome, 0) + 1
    return done


# Rendering at publish time: after every commit that changes what a board shows.

CHUNK = 200  # products per task, so that several workers share a large institution's boards


def enqueue_boards(product_ids: list[int]) -> None:
    """Enqueue the (Indonesian) boards of these products, in chunks (unless ``BOARD_PRERENDER`` is off)."""
    if not settings.BOARD_PRERENDER:
        return
    ids = sorted(set(product_ids))
    for start in range(0, len(ids), CHUNK):
        render_boards.enqueue(ids[start:start + CHUNK], "id")


def _later(query: Any) -> None:
    if not settings.BOARD_PRERENDER:
        return
    ids = list(query.filter(is_active=True, current_standard__isnull=False).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: enqueue_boards(ids))


def _product_saved(sender: Any, instance: ServiceProduct, **kwargs: Any) -> None:
    if instance.is_active and instance.current_standard_id is not None:
        transaction.on_commit(lambda: enqueue_boards([instance.pk]))


def _unit_saved(sender: Any, instance: ServiceUnit, **kwargs: Any) -> None:
    if instance.is_active:
        _later(ServiceProduct.objects.filter(unit=instance.pk))


def _institution_saved(sender: Any, instance: Institution, **kwargs: Any) -> None:
    _later(ServiceProduct.objects.filter(unit__institution=instance.pk, unit__is_active=True))


def _office_saved(sender: Any, instance: Office, **kwargs: Any) -> None:
    _later(ServiceProduct.objects.filter(unit__institution__office=instance.pk, unit__is_active=True))


def connect() -> None:
    """Called from ``RegistryConfig.ready``."""
    post_save.connect(_product_saved, sender=ServiceProduct, dispatch_uid="pantau-board-product")
    post_save.connect(_unit_saved, sender=ServiceUnit, dispatch_uid="pantau-board-unit")
    post_save.connect(_institution_saved, sender=Institution, dispatch_uid="pantau-board-institution")
    post_save.connect(_office_saved, sender=Office, dispatch_uid="pantau-board-office")
