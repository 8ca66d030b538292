"""What the registry registers with core (``pantau.core.hooks``; ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pantau.accounts import rules as r
from pantau.accounts.models import Role
from pantau.accounts.scope import headed_by, scope_of
from pantau.core import hooks
from pantau.core.selectors import prefix_q
from pantau.core.text import fold_key
from pantau.registry import transfer_jobs
from pantau.registry.models import Institution, Province, Regency
from pantau.registry.selectors import institutions_for
from pantau.registry.views_manage import dashboard_panel, dashboard_stamp


def audit_scope(user: Any) -> Q | bool:
    """The audit events a user may read.

    - national admin (and the head of the national office): everything;
    - head of a provincial office: events in the provinces of the offices they head, and events of
      the institutions those offices supervise (wherever the institution sits);
    - institution admin: events of their institution(s);
    - everyone with one of these roles also sees the events they caused themselves.

    Only the memberships that carry the head-of-office or institution-admin role count: being an
    assessor somewhere does not open that office's trail. Nobody else sees anything.
    """
    scope = scope_of(user)
    if scope.has(Role.NATIONAL_ADMIN):
        return True
    if not scope.has(Role.HEAD_OF_OFFICE, Role.INSTITUTION_ADMIN):
        return False
    head = headed_by(user)
    if head.national:
        return True
    q = Q(actor=user.pk)
    if head.office_ids:
        supervised = Institution.objects.filter(office__in=head.office_ids).values("pk")
        q |= (Q(province_id__in=head.province_ids) | Q(prior_province_id__in=head.province_ids)
              | Q(institution_id__in=supervised))
    if scope.has(Role.INSTITUTION_ADMIN):
        q |= Q(institution_id__in=scope.institution_ids)
    return q


def _form_labels(form_name: str) -> dict[str, Any]:
    """The labels staff know from one of the registry's forms, per field (lazy strings)."""
    from pantau.registry import forms

    form = getattr(forms, form_name)
    return {n: f.label for n, f in form.base_fields.items() if f.label}


def _standard_labels() -> dict[str, Any]:
    from pantau.registry import components as comp

    return {c.field: c.label for c in comp.COMPONENTS} | {
        "effective_date": _("Tanggal berlaku"), "is_free": _("Gratis"),
        "completion_days": _("Jangka waktu (hari kerja)"), "version": _("Versi"),
        "present_count": _("Komponen terisi"),
    }


def institution_names(ids: set[int]) -> dict[int, str]:
    return dict(Institution.objects.filter(pk__in=ids).values_list("pk", "name"))


def search_institutions(user: Any, text: str, limit: int) -> list[tuple[int, str]]:
    """The institutions in the user's scope whose name starts with ``text`` (by the unique index
    on the folded name: case, spacing and lookalike letters do not matter), then, to fill the
    list, those whose name contains it (a scan of the institution table: a few thousand rows)."""
    key = fold_key(text)
    if not key:
        return []
    scoped = institutions_for(user).order_by("name_key", "pk")
    found = list(scoped.filter(prefix_q("name_key", key)).values_list("pk", "name")[:limit])
    if len(found) < limit:
        found += scoped.filter(name_key__contains=key).exclude(pk__in=[pk for pk, _ in found]).values_list(
            "pk", "name")[: limit - len(found)]
    return found


def load_regions(stdout: OutputWrapper) -> None:
    """The provinces and regencies, unless they are all there already."""
    if Province.objects.count() < 38 or Regency.objects.count() < 514:
        call_command("load_regions", verbosity=0, stdout=stdout)


def load_demo(stdout: OutputWrapper) -> None:
    call_command("load_demo", stdout=stdout)


def register() -> None:
    hooks.audited(
        hooks.AuditedType("registry.institution", field_labels=lambda: _form_labels("InstitutionForm"),
                          url_name="manage:institution"),
        hooks.AuditedType("registry.serviceunit", field_labels=lambda: _form_labels("UnitForm"),
                          url_name="manage:unit"),
        hooks.AuditedType("registry.serviceproduct", field_labels=lambda: _form_labels("ProductForm"),
                          url_name="manage:product"),
        hooks.AuditedType("registry.servicestandard", field_labels=_standard_labels),
    )
    hooks.event_types(
        "institution.created", "institution.updated", "unit.created", "unit.updated", "unit.rename",
        "unit.merge", "unit.split", "unit.dissolve", "unit.applied", "unit.corrected", "unit.undone",
        "product.created", "product.updated", "product.deactivated", "product.reactivated",
        "standard.draft_saved", "standard.published",
    )
    hooks.not_audited("registry.uniteventlink", "registry.provinceboundary", "registry.regencyboundary")
    hooks.audit_scope(audit_scope)
    hooks.institution_lookup(hooks.InstitutionLookup(choices_for=institutions_for, names=institution_names,
                                                    search=search_institutions))
    hooks.nav_item(
        hooks.NavItem("public:home", _("Beranda"), order=10),
        hooks.NavItem("public:search", _("Cari layanan"), order=20),
        hooks.NavItem("manage:dashboard", _("Kelola"), order=30, rule=hooks.signed_in),
        hooks.NavItem("manage:institutions", _("Instansi"), order=40, rule=r.has_any_role),
    )
    hooks.dashboard_panel(hooks.DashboardPanel("registry", order=50, template="registry/manage/dashboard_panel.html",
                                               context=dashboard_panel, stamp=dashboard_stamp))
    transfer_jobs.register()
    hooks.demo_step(hooks.DemoStep("regions", order=10, run=load_regions),
                    hooks.DemoStep("demo data", order=20, run=load_demo))
