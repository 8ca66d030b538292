"""What the modules register with core (``pantau.core.hooks``) and how core combines it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.urls import reverse

from pantau.core import hooks


@pytest.fixture
def empty(monkeypatch: pytest.MonkeyPatch) -> hooks.Hooks:
    fresh = hooks.Hooks()
    monkeypatch.setattr(hooks, "registered", fresh)
    return fresh


def visitor(signed_in: bool) -> Any:
    return SimpleNamespace(is_authenticated=signed_in)


def nobody(user: Any) -> bool:
    return False


def everybody(user: Any) -> bool:
    return True


def test_every_registered_object_type_is_an_installed_model_and_its_page_reverses() -> None:
    for audited in hooks.registered.audited_types.values():
        assert apps.get_model(audited.object_type)
        if audited.url_name:
            assert reverse(audited.url_name, args=[1])
        if audited.field_labels:
            assert all(str(label) for label in audited.field_labels().values())


def test_every_registered_menu_entry_reverses() -> None:
    assert [item.url_name for item in hooks.menu(visitor(False))] == ["public:home", "public:search",
                                                                    "results:index", "assessments:methodologies"]
    assert all(reverse(item.url_name) for item in hooks.registered.nav_items.values())


def test_registering_again_replaces_instead_of_adding(empty: hooks.Hooks) -> None:
    for _ in range(2):
        hooks.nav_item(hooks.NavItem("public:home", "Beranda", order=10))
        hooks.audit_reader(nobody)
        hooks.event_types("a.created", "a.updated")
        hooks.demo_step(hooks.DemoStep("data", order=1, run=lambda stdout: None))
    assert len(empty.nav_items) == len(empty.audit_readers) == len(empty.demo_steps) == 1
    assert hooks.known_event_types() == ("a.created", "a.updated")


def test_the_menu_follows_the_order_and_asks_rules_only_about_signed_in_users(empty: hooks.Hooks) -> None:
    asked: list[Any] = []

    def staff(user: Any) -> bool:
        asked.append(user)
        return True

    hooks.nav_item(hooks.NavItem("staff", "Staf", order=30, rule=staff),
                   hooks.NavItem("home", "Beranda", order=10),
                   hooks.NavItem("hidden", "Tersembunyi", order=20, rule=nobody))
    assert [i.url_name for i in hooks.menu(None)] == ["home"]
    assert [i.url_name for i in hooks.menu(visitor(False))] == ["home"]
    assert asked == []
    assert [i.url_name for i in hooks.menu(visitor(True))] == ["home", "staff"]


def test_nobody_reads_the_audit_trail_until_a_module_says_who(empty: hooks.Hooks) -> None:
    assert hooks.can_read_audit(visitor(True)) is False
    assert hooks.audit_filter(visitor(True)) is False
    hooks.audit_reader(nobody)
    hooks.audit_reader(everybody)
    assert hooks.can_read_audit(visitor(True)) is True


def test_audit_scopes_of_several_modules_add_up(empty: hooks.Hooks) -> None:
    def mine(user: Any) -> Q | bool:
        return Q(actor=1)

    def theirs(user: Any) -> Q | bool:
        return Q(institution_id__in=[2])

    def closed(user: Any) -> Q | bool:
        return False

    hooks.audit_scope(closed)
    assert hooks.audit_filter(visitor(True)) is False
    hooks.audit_scope(mine)
    hooks.audit_scope(theirs)
    assert hooks.audit_filter(visitor(True)) == Q(actor=1) | Q(institution_id__in=[2])

    def national(user: Any) -> Q | bool:
        return True

    hooks.audit_scope(national)
    assert hooks.audit_filter(visitor(True)) is True


def test_a_token_is_refused_unless_an_authenticator_knows_it(empty: hooks.Hooks) -> None:
    assert hooks.user_for_token("pnt_x") is None
    hooks.token_authenticator(lambda raw: None)
    hooks.token_authenticator(lambda raw: "someone" if raw == "pnt_x" else None)
    assert hooks.user_for_token("pnt_x") == "someone"
    assert hooks.user_for_token("pnt_y") is None


def test_the_audit_view_says_plainly_when_no_module_provides_institutions(empty: hooks.Hooks) -> None:
    with pytest.raises(ImproperlyConfigured, match="institution lookup"):
        hooks.institutions()


def test_demo_steps_run_in_their_order(empty: hooks.Hooks) -> None:
    ran: list[str] = []
    hooks.demo_step(hooks.DemoStep("data", order=20, run=lambda stdout: ran.append("data")),
                    hooks.DemoStep("regions", order=10, run=lambda stdout: ran.append("regions")))
    for step in hooks.demo_steps():
        step.run(None)  # type: ignore[arg-type]
    assert ran == ["regions", "data"]


def test_the_viewer_key_is_the_parts_every_module_gives(empty: hooks.Hooks) -> None:
    def roles(user: Any) -> tuple[Any, ...]:
        return (["head_of_office"], False)

    def offices(user: Any) -> tuple[Any, ...]:
        return ([3],)

    hooks.viewer_key(roles)
    hooks.viewer_key(offices)
    assert hooks.viewer_parts(visitor(True)) == (["head_of_office"], False, [3])


def test_the_dashboard_shows_the_panels_that_answer_for_the_user_in_order(empty: hooks.Hooks) -> None:
    hooks.dashboard_panel(
        hooks.DashboardPanel("tokens", order=90, template="b.html", context=lambda request: {}),
        hooks.DashboardPanel("counts", order=50, template="a.html", context=lambda request: {"n": 3}),
        hooks.DashboardPanel("hidden", order=10, template="c.html", context=lambda request: None),
    )
    assert hooks.dashboard(None) == [("a.html", {"n": 3}), ("b.html", {})]  # type: ignore[arg-type]
