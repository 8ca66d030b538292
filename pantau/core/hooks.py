"""What core needs from the modules above it, registered by each module in its ``AppConfig.ready``.

``pantau.core`` is the bottom layer (ADR 0009): it imports no domain module and not
``pantau.accounts``. Where core shows or decides something that belongs to a module (the audit
trail's labels, who reads which audit events, the menu, the page cache's viewer key, API tokens,
the demo data), the module registers it here:

- ``audited(AuditedType(...))``: an audited object type's name, field labels and staff page;
- ``event_types(...)``: the audit event types the module writes (suggested in the filter);
- ``not_audited(...)``: model labels never audited (left out of the object type filter);
- ``audit_scope(fn)``: ``fn(user)`` → the audit events the user may read: ``True`` all,
  ``False`` none of its own, or a ``Q`` on ``AuditEvent`` (scopes of all modules are OR-ed);
- ``audit_reader(rule)``: who may open the audit trail (any registered rule admits);
- ``institution_lookup(InstitutionLookup(...))``: the audit filter's institutions, names and
  search by name (search-as-you-type, in the reader's scope);
- ``actor_lookup(ActorLookup(...))``: the people the audit filter suggests by name (in scope);
- ``nav_item(NavItem(...))``: a menu entry, placed by its ``order``;
- ``viewer_key(fn)``: ``fn(user)`` → what, besides the user's id and name, a cached page
  depends on about a signed-in viewer (roles, scope);
- ``token_authenticator(fn)``: ``fn(raw_token)`` → the API token's user or ``None``;
- ``page_panel(PagePanel(...))``: a part of another module's page of one object (the public
  product page: the unit's survey and its published IKM), keyed into that page's cache;
- ``dashboard_panel(DashboardPanel(...))``: a part of the staff dashboard (``/kelola/``), by ``order``;
- ``demo_step(DemoStep(...))``: a step of ``manage.py demo_setup``, run by its ``order``;
- ``search_source(SearchSource(...))``: a kind of searchable document (``pantau.core.search``) and
  how to read its objects as ``SearchItem`` rows.
- ``job_kind(JobKind(...))``: a kind of background job (``pantau.core.jobs``): its label, the
  function the worker runs, and what its job page shows.

Registering the same thing again (same object type, URL name, step name or function) replaces it,
so a second ``ready()`` changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import OutputWrapper
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise

Label = str | Promise  # a plain or a lazily translated string
Rule = Callable[[Any], bool]
AuditScope = Callable[[Any], "Q | bool"]
ViewerKey = Callable[[Any], tuple[Any, ...]]
TokenAuthenticator = Callable[[str], Any]


@dataclass(frozen=True)
class AuditedType:
    """An audited object type (``AuditEvent.object_type``, the model's lower-case label)."""

    object_type: str
    label: Label | None = None  # the name of the type; default: the model's verbose_name
    # Field name → label staff know from the forms; a function, called once, because forms
    # import models and translations that are not ready when ``ready()`` runs.
    field_labels: Callable[[], Mapping[str, Label]] | None = None
    url_name: str = ""  # the staff page of one object (reversed with the object's id)


@dataclass(frozen=True)
class InstitutionLookup:
    """The institutions the audit trail filters by and names (``AuditEvent.institution_id``)."""

    choices_for: Callable[[Any], QuerySet[Any]]  # the institutions a user may filter by
    names: Callable[[set[int]], dict[int, str]]  # id → name, for the ids given
    # (user, typed text, at most) → [(id, name)] of ``choices_for(user)`` whose name matches the
    # text, those starting with it first; through an index, never every institution.
    search: Callable[[Any, str, int], list[tuple[int, str]]] | None = None


@dataclass(frozen=True)
class ActorLookup:
    """The people the audit trail's actor filter suggests (``AuditEvent.actor_name``)."""

    # (user, typed text, at most) → [(username, label)] of the people the user may filter by.
    search: Callable[[Any, str, int], list[tuple[str, str]]]


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Label
    order: int
    rule: Rule | None = None  # None: everyone, signed in or not; else the signed-in users it admits


@dataclass(frozen=True)
class DashboardPanel:
    name: str
    order: int
    template: str  # rendered with the context's values as ``panel``
    context: Callable[[HttpRequest], dict[str, Any] | None]  # None: not shown to this user
    # A cheap key of everything ``context`` reads besides the viewer (``render_cached`` parts);
    # the dashboard is served from the page cache only when every panel has one.
    stamp: Callable[[HttpRequest], Any] | None = None


@dataclass(frozen=True)
class PagePanel:
    """A part another module adds to a page of one object (``page``: "public_product", the public
    page of a service product). ``stamp(object_id)`` is a cheap key of what ``context`` shows (it
    joins the page's cache key); ``context(object_id)`` is None when there is nothing to show."""

    page: str
    name: str
    order: int
    template: str  # rendered with the context's values as ``panel``
    stamp: Callable[[int], Any]
    context: Callable[[int], dict[str, Any] | None]


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: Callable[[OutputWrapper], None]  # gets the command's stdout


@dataclass(frozen=True)
class SearchItem:
    """One object as the search index stores it (``pantau.core.search``): its text and the
    columns searches are scoped by (ids, ``None`` where they do not apply)."""

    object_id: int
    title: str
    body: tuple[str, ...] = ()  # other texts: description, parent names, places
    is_public: bool = False
    province_id: int | None = None
    regency_id: int | None = None
    institution_id: int | None = None
    unit_id: int | None = None
    office_id: int | None = None


@dataclass(frozen=True)
class SearchSource:
    """A kind of searchable document. ``items(ids)`` yields the ``SearchItem`` of each object of
    ``ids`` that exists (all objects when ``ids`` is None, streamed in id order).

    ``bulk``: most of the index is of this kind (the registry's products). Its searches do not ask
    the full-text engine for the kind's marker (ADR 0012): the marker would exclude few documents
    and cost a walk of the longest posting list; the ``kind = …`` filter keeps them exact."""

    kind: str
    items: Callable[[Iterable[int] | None], Iterable[SearchItem]]
    bulk: bool = False
    # Whether the kind's words join the shared vocabulary that "did you mean" suggests from, to anyone
    # searching anything. False for private texts (complaints): a name or a word from a confidential
    # report must never come back to another user as a suggestion.
    vocabulary: bool = True
    # With ``vocabulary`` False, the words of its texts that are also in this set still join the vocabulary:
    # a curated, public list (the module's synonym groups), never words only a private text holds.
    public_words: Callable[[], frozenset[str]] | None = None


@dataclass(frozen=True)
class JobKind:
    """A kind of background job. ``run(work)`` does the job in the db_worker; ``work`` is a
    ``pantau.core.jobs.Work`` (the job row, its input file, progress, problems, the result file).
    It raises ``pantau.core.jobs.JobFailed`` to end the job as failed with a message."""

    name: str  # stored in ``Job.kind``, e.g. "registry.import"
    label: Label
    run: Callable[[Any], None]
    result_template: str = ""  # included on the job page (with ``job``) once the job has ended
    # What the job page says when the worker died mid-job (default: a generic sentence).
    interrupted_message: Label = ""


def signed_in(user: Any) -> bool:
    """Every signed-in user with an active account."""
    return bool(user.is_authenticated and user.is_active)


@dataclass
class Hooks:
    audited_types: dict[str, AuditedType] = field(default_factory=dict)
    event_type_names: dict[str, None] = field(default_factory=dict)  # ordered set
    not_audited_types: set[str] = field(default_factory=set)
    # Functions as ordered sets: registering the same function again keeps one.
    audit_scopes: dict[AuditScope, None] = field(default_factory=dict)
    audit_readers: dict[Rule, None] = field(default_factory=dict)
    institutions: InstitutionLookup | None = None
    actors: ActorLookup | None = None
    nav_items: dict[str, NavItem] = field(default_factory=dict)
    viewer_keys: dict[ViewerKey, None] = field(default_factory=dict)
    token_authenticators: dict[TokenAuthenticator, None] = field(default_factory=dict)
    dashboard_panels: dict[str, DashboardPanel] = field(default_factory=dict)
    page_panels: dict[tuple[str, str], PagePanel] = field(default_factory=dict)
    demo_steps: dict[str, DemoStep] = field(default_factory=dict)
    search_sources: dict[str, SearchSource] = field(default_factory=dict)
    job_kinds: dict[str, JobKind] = field(default_factory=dict)


registered = Hooks()


# Registration (from AppConfig.ready) ------------------------------------------------------------

def audited(*types: AuditedType) -> None:
    for audited_type in types:
        registered.audited_types[audited_type.object_type] = audited_type


def event_types(*names: str) -> None:
    registered.event_type_names.update(dict.fromkeys(names))


def not_audited(*object_types: str) -> None:
    registered.not_audited_types.update(object_types)


def audit_scope(fn: AuditScope) -> None:
    registered.audit_scopes[fn] = None


def audit_reader(rule: Rule) -> None:
    registered.audit_readers[rule] = None


def institution_lookup(lookup: InstitutionLookup) -> None:
    registered.institutions = lookup


def actor_lookup(lookup: ActorLookup) -> None:
    registered.actors = lookup


def nav_item(*items: NavItem) -> None:
    for item in items:
        registered.nav_items[item.url_name] = item


def viewer_key(fn: ViewerKey) -> None:
    registered.viewer_keys[fn] = None


def token_authenticator(fn: TokenAuthenticator) -> None:
    registered.token_authenticators[fn] = None


def dashboard_panel(*panels: DashboardPanel) -> None:
    for panel in panels:
        registered.dashboard_panels[panel.name] = panel


def page_panel(*panels: PagePanel) -> None:
    for panel in panels:
        registered.page_panels[(panel.page, panel.name)] = panel


def demo_step(*steps: DemoStep) -> None:
    for step in steps:
        registered.demo_steps[step.name] = step


def search_source(*sources: SearchSource) -> None:
    for source in sources:
        registered.search_sources[source.kind] = source


def job_kind(*kinds: JobKind) -> None:
    for kind in kinds:
        registered.job_kinds[kind.name] = kind


# Use (by core) ----------------------------------------------------------------------------------

def audited_type(object_type: str) -> AuditedType | None:
    return registered.audited_types.get(object_type)


def known_event_types() -> tuple[str, ...]:
    return tuple(registered.event_type_names)


def can_read_audit(user: Any) -> bool:
    """The rule of the audit trail's views: a registered audit reader admits the user."""
    return any(rule(user) for rule in registered.audit_readers)


def audit_filter(user: Any) -> Q | bool:
    """What the registered audit scopes give the user: ``True`` (all), ``False`` (none) or a ``Q``."""
    combined: Q | None = None
    for scope in registered.audit_scopes:
        part = scope(user)
        if part is True:
            return True
        if part is not False:
            combined = part if combined is None else combined | part
    return False if combined is None else combined


def institutions() -> InstitutionLookup:
    if registered.institutions is None:
        raise ImproperlyConfigured("No installed app registered an institution lookup (pantau.core.hooks).")
    return registered.institutions


def search_actors(user: Any, text: str, limit: int) -> list[tuple[str, str]]:
    """The people ``user`` may filter the audit trail by whose name matches ``text`` (none
    when no module registered an actor lookup)."""
    return registered.actors.search(user, text, limit) if registered.actors is not None else []


def search_institutions(user: Any, text: str, limit: int) -> list[tuple[int, str]]:
    """The institutions ``user`` may filter the audit trail by whose name matches ``text``."""
    lookup = institutions()
    if lookup.search is not None:
        return lookup.search(user, text, limit)
    qs = lookup.choices_for(user).filter(name__icontains=text).order_by("name", "pk")
    return [(pk, name) for pk, name in qs.values_list("pk", "name")[:limit]]


def menu(user: Any) -> list[NavItem]:
    """The menu entries ``user`` (or an anonymous visitor, ``None``) sees, in order."""
    known = user is not None and user.is_authenticated
    return [item for item in sorted(registered.nav_items.values(), key=lambda item: item.order)
            if item.rule is None or (known and item.rule(user))]


def viewer_parts(user: Any) -> tuple[Any, ...]:
    return tuple(part for key in registered.viewer_keys for part in key(user))


def user_for_token(raw: str) -> Any:
    for authenticate in registered.token_authenticators:
        user = authenticate(raw)
        if user is not None:
            return user
    return None


def page_panels(page: str) -> list[PagePanel]:
    return sorted((p for p in registered.page_panels.values() if p.page == page), key=lambda p: p.order)


def page_stamps(page: str, object_id: int) -> tuple[Any, ...]:
    return tuple(panel.stamp(object_id) for panel in page_panels(page))


def page_contexts(page: str, object_id: int) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for panel in page_panels(page):
        values = panel.context(object_id)
        if values is not None:
            out.append((panel.template, values))
    return out


def dashboard(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """The dashboard panels shown to the request's user, in order: (template, its ``panel`` values)."""
    shown = []
    for panel in sorted(registered.dashboard_panels.values(), key=lambda panel: panel.order):
        values = panel.context(request)
        if values is not None:
            shown.append((panel.template, values))
    return shown


def dashboard_stamp(request: HttpRequest) -> tuple[tuple[Any, ...], list[str]] | None:
    """The panels' stamps and templates (the dashboard's page-cache key), or None when a panel
    has no stamp (then the dashboard is rendered on every visit)."""
    panels = sorted(registered.dashboard_panels.values(), key=lambda panel: panel.order)
    stamps = []
    for panel in panels:
        if panel.stamp is None:
            return None
        stamps.append((panel.name, panel.stamp(request)))
    return tuple(stamps), [panel.template for panel in panels]


def demo_steps() -> Iterable[DemoStep]:
    return sorted(registered.demo_steps.values(), key=lambda step: step.order)


def search_sources() -> dict[str, SearchSource]:
    return dict(registered.search_sources)


def job_kind_named(name: str) -> JobKind | None:
    return registered.job_kinds.get(name)
