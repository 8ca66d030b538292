"""The audit trail is complete and append-only.

Every write service of the registry and of accounts writes exactly one event, with its actor, the
request id and the state before/after, in the same transaction as the change: when the event
cannot be written, the change is not written either.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from pantau.accounts import services as account_services
from pantau.accounts.models import Role
from pantau.core import audit, requestid
from pantau.core.models import AppendOnlyError, AuditEvent
from pantau.registry import services as registry_services
from pantau.registry import unit_changes
from pantau.registry.models import ServiceStandard, UnitEvent

pytestmark = pytest.mark.django_db

REQUEST_ID = "audit-test-request-0001"


@dataclass
class Case:
    call: Callable[[], Any]
    event_type: str
    actor: Any
    changes_existing: bool  # an update: the event must hold the state before
    object_type: str = ""  # when the event is about another object than the one returned


def _institution_create(c: Any) -> Case:
    return Case(lambda: registry_services.institution_save(actor=c.head_kalsel, data={
        "name": "Pemerintah Kabupaten Balangan", "kind": "pemkab", "province_id": c.kalsel_province.pk,
        "office_id": c.kalsel.pk}), "institution.created", c.head_kalsel, False)


def _institution_update(c: Any) -> Case:
    return Case(lambda: registry_services.institution_save(actor=c.admin_tabalong, institution=c.tabalong, data={
        "website": "https://tabalongkab.go.id"}, reason="situs resmi"), "institution.updated", c.admin_tabalong, True)


def _unit_create(c: Any) -> Case:
    return Case(lambda: registry_services.unit_save(actor=c.admin_tabalong, institution=c.tabalong, data={
        "name": "RSUD H. Badaruddin", "kind": "rsud"}), "unit.created", c.admin_tabalong, False)


def _unit_update(c: Any) -> Case:
    return Case(lambda: registry_services.unit_save(actor=c.operator_dukcapil, unit=c.dukcapil, data={
        "phone": "0526-2021"}), "unit.updated", c.operator_dukcapil, True)


def _product_create(c: Any) -> Case:
    return Case(lambda: registry_services.product_save(actor=c.operator_dukcapil, unit=c.dukcapil, data={
        "name": "Akta Kelahiran", "category": "adminduk"}), "product.created", c.operator_dukcapil, False)


def _product_update(c: Any) -> Case:
    return Case(lambda: registry_services.product_save(actor=c.admin_tabalong, product=c.pbg, data={
        "description": "Izin membangun"}), "product.updated", c.admin_tabalong, True)


def _draft_new(c: Any) -> Case:
    return Case(lambda: registry_services.standard_save_draft(actor=c.operator_dukcapil, product=c.ktp, data={
        "completion_time": "2 hari kerja"}), "standard.draft_saved", c.operator_dukcapil, False)


def _draft_again(c: Any) -> Case:
    registry_services.standard_save_draft(actor=c.operator_dukcapil, product=c.ktp, data={"cost": "Rp0"})
    return Case(lambda: registry_services.standard_save_draft(actor=c.operator_dukcapil, product=c.ktp, data={
        "completion_time": "2 hari kerja"}), "standard.draft_saved", c.operator_dukcapil, True)


def _publish(c: Any) -> Case:
    draft = registry_services.standard_save_draft(actor=c.admin_tabalong, product=c.ktp, data={
        "completion_time": "3 jam"})
    return Case(lambda: registry_services.standard_publish(actor=c.admin_tabalong, standard=draft,
                                                           effective_date=dt.date(2025, 6, 1)),
                "standard.published", c.admin_tabalong, False)


def _unit_event(kind: str, **kwargs: Any) -> Callable[[Any], Case]:
    def make(c: Any) -> Case:
        units = {"rename": [c.dpmptsp], "merge": [c.dukcapil, c.dpmptsp], "split": [c.dpmptsp],
                 "dissolve": [c.dpmptsp]}[kind]
        return Case(lambda: unit_changes.unit_event_record(
            actor=c.admin_tabalong, kind=kind, institution=c.tabalong, from_units=units,
            **{"date": dt.date(2024, 1, 2), **kwargs}), f"unit.{kind}", c.admin_tabalong, False)
    return make


def _product_deactivate(c: Any) -> Case:
    return Case(lambda: registry_services.product_set_active(actor=c.operator_dukcapil, product=c.ktp, active=False,
                                                             reason="tidak dilayani lagi"),
                "product.deactivated", c.operator_dukcapil, True)


def _pending_merge(c: Any) -> Any:
    future = dt.date.today() + dt.timedelta(days=30)
    return unit_changes.unit_event_record(actor=c.admin_tabalong, kind="merge", date=future, institution=c.tabalong,
                                          from_units=[c.dukcapil, c.dpmptsp], new_names=["MPP Tabalong"])


def _unit_event_correct(c: Any) -> Case:
    event = _pending_merge(c)
    return Case(lambda: unit_changes.unit_event_correct(actor=c.admin_tabalong, event=event, data={
        "legal_basis": "Perda 5/2026"}), "unit.corrected", c.admin_tabalong, True)


def _unit_event_undo(c: Any) -> Case:
    event = _pending_merge(c)
    return Case(lambda: unit_changes.unit_event_undo(actor=c.admin_tabalong, event=event, reason="salah catat"),
                "unit.undone", c.admin_tabalong, True)


def _unit_events_apply_due(c: Any) -> Case:
    _pending_merge(c)
    later = dt.date.today() + dt.timedelta(days=31)
    return Case(lambda: unit_changes.unit_events_apply_due(today=later), "unit.applied",
                unit_changes.SYSTEM_ACTOR, True)


def _invitation_create(c: Any) -> Case:
    return Case(lambda: account_services.invitation_create(
        actor=c.admin_tabalong, email="Operator.Baru@Tabalong.go.id", full_name="Operator Baru",
        role=Role.UNIT_OPERATOR, unit=c.dpmptsp), "invitation.created", c.admin_tabalong, False)


def _invitation_accept(c: Any) -> Case:
    _invitation, raw = account_services.invitation_create(
        actor=c.admin_tabalong, email="baru@tabalong.go.id", full_name="", role=Role.UNIT_OPERATOR, unit=c.dpmptsp)
    return Case(lambda: account_services.invitation_accept(raw_token=raw, username="operator_baru",
                                                           password="kopi-susu-pagi-hari", full_name="Operator Baru"),
                "invitation.accepted", None, False, "accounts.invitation")


def _token_create(c: Any) -> Case:
    return Case(lambda: account_services.api_token_create(actor=c.admin_tabalong, name="impor SIMPEL"),
                "api_token.created", c.admin_tabalong, False)


def _token_revoke(c: Any) -> Case:
    token, _raw = account_services.api_token_create(actor=c.admin_tabalong, name="lama")
    return Case(lambda: account_services.api_token_revoke(actor=c.admin_tabalong, token=token),
                "api_token.revoked", c.admin_tabalong, True)


def _national_admin_create(c: Any) -> Case:
    return Case(lambda: account_services.national_admin_create(
        username="admin_kedua", email="Admin.Kedua@ombudsman.go.id", password="kopi-susu-pagi-hari"),
        "user.national_admin_created", None, False)


def _open_invitation(c: Any) -> Any:
    invitation, _raw = account_services.invitation_create(actor=c.admin_tabalong, email="baru@uji.local",
                                                          full_name="", role=Role.UNIT_OPERATOR, unit=c.dpmptsp)
    return invitation


def _invitation_revoke(c: Any) -> Case:
    invitation = _open_invitation(c)
    return Case(lambda: account_services.invitation_revoke(actor=c.head_kalsel, invitation=invitation),
                "invitation.revoked", c.head_kalsel, True)


def _invitation_resend(c: Any) -> Case:
    invitation = _open_invitation(c)
    return Case(lambda: account_services.invitation_resend(actor=c.admin_tabalong, invitation=invitation),
                "invitation.resent", c.admin_tabalong, True)


def _user_deactivate(c: Any) -> Case:
    return Case(lambda: account_services.user_deactivate(actor=c.admin_tabalong, user=c.operator_dukcapil),
                "user.deactivated", c.admin_tabalong, True)


def _user_reactivate(c: Any) -> Case:
    account_services.user_deactivate(actor=c.national_admin, user=c.operator_dukcapil)
    return Case(lambda: account_services.user_reactivate(actor=c.admin_tabalong, user=c.operator_dukcapil),
                "user.reactivated", c.admin_tabalong, True)


def _user_unlock(c: Any) -> Case:
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username="operator_dukcapil", ip_address="10.0.0.1", failures_since_start=5,
                                 user_agent="", get_data="", post_data="", http_accept="", path_info="")
    return Case(lambda: account_services.user_unlock(actor=c.admin_tabalong, user=c.operator_dukcapil),
                "user.unlocked", c.admin_tabalong, False)


def _membership_change(c: Any) -> Case:
    return Case(lambda: account_services.membership_change(
        actor=c.admin_tabalong, membership=c.operator_dukcapil.memberships.get(), role=Role.UNIT_OPERATOR,
        unit=c.dpmptsp), "membership.changed", c.admin_tabalong, True)


def _membership_remove(c: Any) -> Case:
    return Case(lambda: account_services.membership_remove(
        actor=c.head_kalsel, membership=c.operator_dukcapil.memberships.get()), "membership.removed",
        c.head_kalsel, True)


CASES: dict[str, Callable[[Any], Case]] = {
    "institution_save:create": _institution_create,
    "institution_save:update": _institution_update,
    "unit_save:create": _unit_create,
    "unit_save:update": _unit_update,
    "product_save:create": _product_create,
    "product_save:update": _product_update,
    "product_set_active": _product_deactivate,
    "standard_save_draft:new": _draft_new,
    "standard_save_draft:again": _draft_again,
    "standard_publish": _publish,
    "unit_event_record:rename": _unit_event("rename", new_names=["DPMPTSP Tabalong"]),
    "unit_event_record:merge": _unit_event("merge", new_names=["Mal Pelayanan Publik Tabalong"]),
    "unit_event_record:split": _unit_event("split", new_names=["Dinas Penanaman Modal", "Dinas Perizinan"]),
    "unit_event_record:dissolve": _unit_event("dissolve"),
    "unit_event_record:pending": _unit_event("merge", new_names=["MPP Tabalong"],
                                             date=dt.date.today() + dt.timedelta(days=30)),
    "unit_event_correct": _unit_event_correct,
    "unit_event_undo": _unit_event_undo,
    "unit_events_apply_due": _unit_events_apply_due,
    "invitation_create": _invitation_create,
    "invitation_accept": _invitation_accept,
    "api_token_create": _token_create,
    "api_token_revoke": _token_revoke,
    "national_admin_create": _national_admin_create,
    "invitation_revoke": _invitation_revoke,
    "invitation_resend": _invitation_resend,
    "user_deactivate": _user_deactivate,
    "user_reactivate": _user_reactivate,
    "user_unlock": _user_unlock,
    "membership_change": _membership_change,
    "membership_remove": _membership_remove,
}


def _services(module: Any) -> set[str]:
    """The module's services: its public functions taking keyword-only arguments (the convention)."""
    found = set()
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != module.__name__:
            continue
        params = inspect.signature(fn).parameters.values()
        if params and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params):
            found.add(name)
    return found


def test_every_write_service_is_covered_by_these_tests() -> None:
    covered = {name.split(":")[0] for name in CASES}
    assert _services(registry_services) | _services(unit_changes) | _services(account_services) == covered


@pytest.fixture
def bound_request() -> Iterator[str]:
    tokens = requestid.bind(REQUEST_ID)
    yield REQUEST_ID
    requestid.unbind(tokens)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_service_writes_exactly_one_complete_event(cast: Any, name: str, bound_request: str) -> None:
    case = CASES[name](cast)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = case.call()
    events = list(AuditEvent.objects.filter(pk__gt=last))
    assert len(events) == 1, [e.event_type for e in events]
    event = events[0]
    obj = result[0] if isinstance(result, tuple) else result
    assert event.event_type == case.event_type
    if isinstance(case.actor, str):  # the system acting on its own (a change applied on its date)
        assert event.actor is None and event.actor_name == case.actor
    else:
        # No actor given: the user the service created acts for themselves (accepting, first admin).
        actor = case.actor if case.actor is not None else get_user_model().objects.get(pk=obj.pk)
        assert event.actor == actor and event.actor_name == actor.username
    assert event.request_id == bound_request
    assert event.at is not None
    assert event.after, "the event must say what the state became"
    if case.changes_existing:
        assert event.before is not None and set(event.before) == set(event.after)
        assert all(event.before[k] != event.after[k] for k in event.before)
    if case.object_type:
        assert event.object_type == case.object_type and event.after["user"] == obj.pk
    elif obj is not None:
        assert event.object_type == obj._meta.label_lower and event.object_id == str(obj.pk)
    assert event.institution_id is not None or event.event_type.startswith(("api_token.", "user."))


def _everything() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Pantau model (and the users): the test cast is small."""
    models = [m for m in apps.get_models() if m.__module__.startswith("pantau.")]
    return {m._meta.label: list(m._base_manager.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_whose_event_cannot_be_written_leaves_no_change(cast: Any, name: str) -> None:
    case = CASES[name](cast)
    state = _everything()

    def refuse(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit storage unavailable")

    pre_save.connect(refuse, sender=AuditEvent, dispatch_uid="refuse-audit")
    try:
        with pytest.raises(RuntimeError, match="audit storage unavailable"):
            case.call()
    finally:
        pre_save.disconnect(dispatch_uid="refuse-audit", sender=AuditEvent)
    assert _everything() == state
    assert mail.outbox == []


def test_a_refused_service_writes_no_event(cast: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(Exception, match="Penggabungan"):
        unit_changes.unit_event_record(actor=cast.admin_tabalong, kind=UnitEvent.Kind.MERGE,
                                            date=dt.date(2024, 1, 2), institution=cast.tabalong,
                                            from_units=[cast.dukcapil], new_names=["X"])
    with pytest.raises(Exception):  # noqa: B017 - NotInScope (404)
        registry_services.unit_save(actor=cast.admin_barsel, unit=cast.dukcapil, data={"phone": "1"})
    assert AuditEvent.objects.count() == before


def test_the_request_id_of_a_web_request_is_recorded(cast: Any) -> None:
    client = Client()
    client.force_login(cast.operator_dukcapil)
    response = client.post(reverse("manage:unit", args=[cast.dukcapil.pk]), {
        "name": cast.dukcapil.name, "kind": "dinas", "phone": "0526-1111"}, HTTP_X_REQUEST_ID="proxy-given-id-42")
    assert response.status_code == 302
    assert response["X-Request-ID"] == "proxy-given-id-42"
    event = AuditEvent.objects.latest("pk")
    assert (event.event_type, event.request_id) == ("unit.updated", "proxy-given-id-42")
    response = client.post(reverse("manage:unit", args=[cast.dukcapil.pk]), {
        "name": cast.dukcapil.name, "kind": "dinas", "phone": "0526-2222"}, HTTP_X_REQUEST_ID="bad id;drop")
    event = AuditEvent.objects.latest("pk")
    assert event.request_id == response["X-Request-ID"] != "bad id;drop"
    assert len(event.request_id) == 32


def test_outside_a_request_the_request_id_is_empty(cast: Any) -> None:
    registry_services.unit_save(actor=cast.operator_dukcapil, unit=cast.dukcapil, data={"phone": "0526-3333"})
    assert AuditEvent.objects.latest("pk").request_id == ""


def test_an_event_can_be_neither_changed_nor_deleted(cast: Any) -> None:
    event = AuditEvent.objects.latest("pk")
    event.reason = "ditutupi"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="ditutupi")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update breaks its transaction
        AuditEvent.objects.bulk_update([event], ["reason"])
    event.refresh_from_db()
    assert event.reason == ""


@pytest.mark.django_db(transaction=True)
def test_writing_an_event_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit.record(actor="system:test", event_type="test.outside")
    assert not AuditEvent.objects.filter(event_type="test.outside").exists()


def test_deleting_a_user_keeps_their_events_under_their_name(cast: Any) -> None:
    user = cast.operator_dukcapil
    registry_services.unit_save(actor=user, unit=cast.dukcapil, data={"phone": "0526-4444"})
    event = AuditEvent.objects.latest("pk")
    user.memberships.all().delete()
    user.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_name == "operator_dukcapil"


def test_a_published_standard_event_names_its_version(cast: Any) -> None:
    event = AuditEvent.objects.filter(event_type="standard.published").latest("pk")
    standard = ServiceStandard.objects.get(pk=event.object_id)
    assert event.after["version"] == standard.version
