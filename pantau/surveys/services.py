"""Survey writes: questionnaire versions, campaigns and their states, responses (idempotent by
client token, the tallies moved in the same transaction). Every write of staff is audited;
responses are not (a campaign has thousands; the campaign's events and the response rows say
what happened), and no response stores who the respondent is."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.core import audit
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit
from pantau.registry.selectors import can_edit_institution, can_edit_unit, institutions_for, units_for
from pantau.surveys import expressions, indices, messages, panels, questionnaires, results, selectors, tallies
from pantau.surveys.models import (
    EXTRA_CHARS,
    MAX_ELEMENTS,
    SUGGESTION_CHARS,
    TOKEN_CHARS,
    Campaign,
    CampaignService,
    Channel,
    Kind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    slot_values,
)

SYSTEM_ACTOR = "system:surveys"
MAX_SERVICES = 200
MAX_POPULATION = 100_000_000
DOCUMENT_CHARS = 200_000

# Allowed state changes: (from, to) → audit event.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Campaign.State.DRAFT, Campaign.State.OPEN): "campaign.opened",
    (Campaign.State.OPEN, Campaign.State.CLOSED): "campaign.closed",
    (Campaign.State.CLOSED, Campaign.State.OPEN): "campaign.reopened",
    (Campaign.State.CLOSED, Campaign.State.PUBLISHED): "campaign.published",
}


def _where(campaign: Campaign) -> dict[str, Any]:
    return {"institution_id": campaign.institution_id, "province_id": campaign.institution.province_id}


def check_document(document: Mapping[str, Any], source: str) -> questionnaires.Questionnaire:
    """Parse a questionnaire document and check what storing it needs (size, number of elements)."""
    if len(json.dumps(document, ensure_ascii=False)) > DOCUMENT_CHARS:
        raise ValidationError(_("Kuesioner terlalu besar untuk disimpan."))
    try:
        parsed = questionnaires.parse(dict(document), source)
    except questionnaires.QuestionnaireError as exc:
        raise ValidationError(f"{exc.source}: {exc.path}: {messages.translate(exc.reason, _)}") from None
    if len(parsed.elements) > MAX_ELEMENTS:
        raise ValidationError(_("Paling banyak %(n)d unsur per kuesioner.") % {"n": MAX_ELEMENTS})
    return parsed


BUILT_IN = ("skm-2017", "persepsi-maladministrasi", "ikm-2004")


def builtin_versions() -> dict[str, QuestionnaireVersion]:
    """Every shipped questionnaire's stored version (the files read once)."""
    shipped = questionnaires.shipped()
    return {slug: builtin_version(slug, shipped) for slug in BUILT_IN}


@transaction.atomic
def builtin_version(slug: str, shipped: dict[str, questionnaires.Questionnaire] | None = None
                    ) -> QuestionnaireVersion:
    """The stored version of a shipped questionnaire (stored on first use; a changed file makes a
    new version, an unchanged one changes nothing)."""
    shipped = questionnaires.shipped() if shipped is None else shipped
    if slug not in shipped:
        raise ValidationError(_("Kuesioner bawaan tidak dikenal: %(slug)s.") % {"slug": slug})
    document = questionnaires.to_document(shipped[slug])
    parsed = shipped[slug]
    questionnaire, _created = Questionnaire.objects.get_or_create(
        slug=slug, unit=None, defaults={"title": parsed.title, "kind": parsed.kind})
    latest = questionnaire.versions.order_by("-number").first()
    if latest is not None and latest.document == document:
        return latest
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=(latest.number + 1) if latest else 1, document=document,
        profile=parsed.profile)
    audit.record(actor=SYSTEM_ACTOR, event_type="questionnaire.loaded", obj=version,
                 after={"slug": slug, "number": version.number})
    return version


@transaction.atomic
def version_save(*, actor: Any, unit: ServiceUnit, document: Mapping[str, Any]) -> QuestionnaireVersion:
    """A unit's own questionnaire (an adaptation: elements added, weights given), as a new version
    of the unit's questionnaire with that id."""
    if not can_edit_unit(actor, unit):
        raise ValidationError(_("Anda tidak dapat mengubah kuesioner unit ini."))
    parsed = check_document(document, _("kuesioner"))
    normal = questionnaires.to_document(parsed)
    questionnaire, _created = Questionnaire.objects.get_or_create(
        slug=parsed.id, unit=unit, defaults={"title": parsed.title, "kind": parsed.kind})
    if questionnaire.kind != parsed.kind:
        raise ValidationError(_("Jenis kuesioner tidak boleh berubah antarversi; pakai id lain."))
    latest = questionnaire.versions.order_by("-number").first()
    if latest is not None and latest.document == normal:
        return latest
    questionnaire.title = parsed.title
    questionnaire.save(update_fields=["title"])
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=(latest.number + 1) if latest else 1, document=normal,
        profile=parsed.profile, created_by=actor)
    audit.record(actor=actor, event_type="questionnaire.saved", obj=version, institution_id=unit.institution_id,
                 after={"slug": parsed.id, "number": version.number, "elements": len(parsed.elements)})
    return version


def _clean_campaign(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Judul wajib diisi."))
    elif len(title) > 200:
        errors.setdefault("title", []).append(_("Judul paling banyak 200 karakter."))
    start, end = data.get("period_start"), data.get("period_end")
    if not isinstance(start, dt.date):
        errors.setdefault("period_start", []).append(_("Tanggal mulai wajib diisi."))
    if not isinstance(end, dt.date):
        errors.setdefault("period_end", []).append(_("Tanggal selesai wajib diisi."))
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors.setdefault("period_end", []).append(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    population = data.get("population")
    if population is not None and (not isinstance(population, int) or not 1 <= population <= MAX_POPULATION):
        errors.setdefault("population", []).append(
            _("Jumlah penerima layanan harus bilangan bulat 1 sampai %(n)d.") % {"n": MAX_POPULATION})
    source = str(data.get("population_source") or "").strip()
    if len(source) > 200:
        errors.setdefault("population_source", []).append(_("Paling banyak 200 karakter."))
    if errors:
        raise ValidationError(errors)
    return {"title": title, "period_start": start, "period_end": end, "population": population,
            "population_source": source}


def _services(unit: ServiceUnit | None, institution_id: int, services: Sequence[tuple[int, int | None]]) -> list[
        tuple[ServiceProduct, int | None]]:
    if len(services) > MAX_SERVICES:
        raise ValidationError({"services": [_("Paling banyak %(n)d layanan per kampanye.") % {"n": MAX_SERVICES}]})
    ids = [pk for pk, _volume in services]
    if len(set(ids)) != len(ids):
        raise ValidationError({"services": [_("Layanan yang sama dipilih dua kali.")]})
    products = ServiceProduct.objects.filter(pk__in=ids, unit__institution_id=institution_id, unit__is_active=True)
    if unit is not None:
        products = products.filter(unit=unit)
    found = {p.pk: p for p in products}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"services": [
            _("Layanan bukan milik unit (atau instansi) ini: %(ids)s.") % {"ids": ", ".join(missing)}]})
    for _pk, volume in services:
        if volume is not None and (not isinstance(volume, int) or not 0 <= volume <= MAX_POPULATION):
            raise ValidationError({"services": [_("Jumlah penerima per layanan harus bilangan bulat 0 atau lebih.")]})
    return [(found[pk], volume) for pk, volume in services]


def can_manage(actor: Any, campaign: Campaign) -> bool:
    """Whether ``actor`` may change the campaign: its unit's editors, or for a campaign of a whole
    institution (no unit) the institution's."""
    if campaign.unit_id is not None:
        return campaign.unit is not None and can_edit_unit(actor, campaign.unit)
    return can_edit_institution(actor, campaign.institution)


@transaction.atomic
def campaign_create(*, actor: Any, version: QuestionnaireVersion, data: Mapping[str, Any],
                    services: Sequence[tuple[int, int | None]] = (), unit: ServiceUnit | None = None,
                    institution: Institution | None = None) -> Campaign:
    """A campaign of one unit, or (``unit`` None) of a whole institution: its services may then be
    any of the institution's units' products, and only a built-in questionnaire is offered."""
    if unit is not None:
        if not units_for(actor).filter(pk=unit.pk).exists() or not can_edit_unit(actor, unit):
            raise ValidationError(_("Anda tidak dapat membuat survei untuk unit ini."))
        institution_id = unit.institution_id
    elif institution is not None:
        if (not institutions_for(actor).filter(pk=institution.pk).exists()
                or not can_edit_institution(actor, institution)):
            raise ValidationError(_("Anda tidak dapat membuat survei untuk instansi ini."))
        institution_id = institution.pk
    else:
        raise ValidationError(_("Pilih unit layanan atau instansi."))
    if version.questionnaire.unit_id not in (None, unit.pk if unit else None):
        raise ValidationError({"version": [_("Kuesioner ini milik unit lain.")]})
    clean = _clean_campaign(data)
    chosen = _services(unit, institution_id, services)
    campaign = Campaign.objects.create(institution_id=institution_id, unit=unit, version=version,
                                       created_by=actor, **clean)
    CampaignService.objects.bulk_create(
        [CampaignService(campaign=campaign, product=p, volume=v) for p, v in chosen])
    campaign = Campaign.objects.select_related("institution").get(pk=campaign.pk)
    audit.record(actor=actor, event_type="campaign.created", obj=campaign, **_where(campaign),
                 after={**{k: str(v) if v is not None else None for k, v in clean.items()},
                        "unit": unit.pk if unit else None, "institution": institution_id, "version": version.pk,
                        "services": [p.pk for p, _v in chosen]})
    return campaign


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, data: Mapping[str, Any],
                    services: Sequence[tuple[int, int | None]]) -> Campaign:
    campaign = _locked(actor, campaign)
    if campaign.state == Campaign.State.PUBLISHED:
        raise ValidationError(_("Survei yang sudah diterbitkan tidak dapat diubah."))
    clean = _clean_campaign(data)
    chosen = _services(campaign.unit, campaign.institution_id, services)
    before = {k: str(getattr(campaign, k)) for k in clean} | {
        "services": sorted(campaign.services.values_list("product_id", flat=True))}
    for key, value in clean.items():
        setattr(campaign, key, value)
    campaign.save()
    campaign.services.exclude(product__in=[p for p, _v in chosen]).delete()
    campaign.__dict__.pop("_service_ids", None)
    for product, volume in chosen:
        CampaignService.objects.update_or_create(campaign=campaign, product=product, defaults={"volume": volume})
    panels.forget_public()
    after = {k: str(v) for k, v in clean.items()} | {"services": sorted(p.pk for p, _v in chosen)}
    audit.record(actor=actor, event_type="campaign.updated", obj=campaign, before=before, after=after,
                 **_where(campaign))
    return campaign


def _locked(actor: Any, campaign: Campaign) -> Campaign:
    locked = Campaign.objects.select_for_update(of=("self",)).select_related("institution", "unit", "version").get(
        pk=campaign.pk)
    if not can_manage(actor, locked):
        raise ValidationError(_("Anda tidak dapat mengubah survei ini."))
    return locked


@transaction.atomic
def campaign_set_state(*, actor: Any, campaign: Campaign, state: str) -> Campaign:
    campaign = _locked(actor, campaign)
    event = TRANSITIONS.get((campaign.state, state))
    if event is None:
        raise ValidationError(_("Survei berstatus %(now)s tidak dapat diubah menjadi %(to)s.") % {
            "now": campaign.get_state_display(), "to": dict(Campaign.State.choices).get(state, state)})
    before = {"state": campaign.state}
    campaign.state = state
    fields = ["state", "updated_at"]
    if state == Campaign.State.PUBLISHED:
        result = results.campaign_result(campaign)
        if not result["computable"]:
            raise ValidationError(_("Belum ada jawaban lengkap untuk setiap unsur; indeks belum dapat dihitung."))
        campaign.result = results.published_result(result)
        campaign.published_at = timezone.now()
        fields += ["result", "published_at"]
    campaign.save(update_fields=fields)
    panels.forget_public()
    audit.record(actor=actor, event_type=event, obj=campaign, before=before, after={"state": state},
                 **_where(campaign))
    return campaign


class Rejected(Exception):
    """A submission refused, with the message the respondent sees."""


def clean_answers(version: QuestionnaireVersion, answers: Mapping[str, Any], complete: bool) -> dict[str, int | None]:
    parsed = version.parsed
    codes = {q.code: q for q in parsed.elements}
    unknown = sorted(set(answers) - set(codes))
    if unknown:
        raise ValidationError({"answers": [_("Unsur tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown[:5])}]})
    top = len(indices.SCALE) if parsed.kind == Kind.IKM else len(questionnaires.PERCEPTION_CHOICES)
    out: dict[str, int | None] = {}
    errors = []
    for code, question in codes.items():
        value = answers.get(code)
        if value in (None, ""):
            out[code] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if isinstance(value, bool) or not 1 <= number <= top or str(value).strip() != str(number):
            errors.append(_("%(q)s: jawaban %(v)s di luar pilihan 1–%(top)d.") % {
                "q": question.code, "v": str(value)[:20], "top": top})
            continue
        out[code] = number
    if errors:
        raise ValidationError({"answers": errors})
    if complete and parsed.kind == Kind.IKM and all(v is None for v in out.values()):
        raise ValidationError({"answers": [_("Belum ada unsur yang dijawab.")]})
    return out


PROFILE_COLUMNS = {"jenis_kelamin": "sex", "pendidikan": "education", "pekerjaan": "occupation"}


def _profile_value(campaign: Campaign, field: questionnaires.ProfileField, value: Any) -> tuple[Any, str | None]:
    """The stored value of one answer to a respondent question, or the reason it is refused."""
    if field.type == "service":
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = 0
        if pk not in selectors.service_ids(campaign):
            return None, _("Layanan yang dipilih tidak termasuk survei ini.")
        return pk, None
    if field.type in ("integer", "decimal"):
        try:
            number: float | int = int(value) if field.type == "integer" else float(str(value).replace(",", "."))
        except (TypeError, ValueError):
            return None, _("%(f)s harus berupa angka.") % {"f": field.text}
        if field.code == "usia" and not 10 <= number <= 120:
            return None, _("Usia harus antara 10 dan 120 tahun.")
        if abs(number) > 10**12 or number != number:  # noqa: PLR0124 - NaN
            return None, _("%(f)s: angka di luar batas.") % {"f": field.text}
        return number, None
    names = [name for name, _label in field.options()]
    if field.type == "choice":
        return (str(value), None) if str(value) in names else (None, _("%(f)s: pilihan tidak dikenal.") % {
            "f": field.text})
    if field.type == "multiple":
        chosen = value if isinstance(value, list | tuple) else str(value).split()
        if any(str(v) not in names for v in chosen) or len(chosen) > len(names):
            return None, _("%(f)s: pilihan tidak dikenal.") % {"f": field.text}
        return " ".join(dict.fromkeys(str(v) for v in chosen)), None
    return str(value)[:500], None


def _check_logic(parsed: questionnaires.Questionnaire, given: dict[str, Any], complete: bool) -> list[str]:
    """Apply the questionnaire's ``relevant``, ``required`` and ``constraint`` (XLSForm): answers to
    questions that do not apply are dropped from ``given``; the reasons a complete response is
    refused are returned."""
    errors = []
    values = {k: ("" if v is None else v) for k, v in given.items()}
    items: list[questionnaires.ProfileField | questionnaires.Question] = [*parsed.fields, *parsed.elements]
    for item in items:
        code = item.code
        if item.relevant and not expressions.compile_expression(item.relevant).evaluate(values):
            given.pop(code, None)
            values[code] = ""
            continue
        value = values.get(code, "")
        if isinstance(item, questionnaires.ProfileField):
            if complete and item.required and value in ("", None):
                errors.append(_("%(f)s wajib diisi.") % {"f": item.text})
            elif value not in ("", None) and item.constraint and not expressions.compile_expression(
                    item.constraint).evaluate(values, current=value):
                errors.append(item.constraint_message or _("%(f)s: jawaban tidak memenuhi syarat.") % {"f": item.text})
    return errors


def clean_profile(campaign: Campaign, profile: Mapping[str, Any], answers: dict[str, int | None],
                   complete: bool) -> dict[str, Any]:
    parsed = campaign.version.parsed
    fields = {f.code: f for f in parsed.fields}
    given: dict[str, Any] = {}
    errors = []
    for code, value in profile.items():
        if value in (None, "", []):
            continue
        field = fields.get(code)
        if field is None:
            errors.append(_("Isian tidak dikenal: %(code)s.") % {"code": str(code)[:40]})
            continue
        if field.type == "note":
            continue
        stored, problem = _profile_value(campaign, field, value)
        if problem:
            errors.append(problem)
        else:
            given[code] = stored
    if not errors:
        combined: dict[str, Any] = {**given, **{k: v for k, v in answers.items() if v is not None}}
        errors = _check_logic(parsed, combined, complete)
        given = {k: v for k, v in combined.items() if k in fields}
        for code in list(answers):
            if code not in combined:
                answers[code] = None  # not relevant: not counted
    out: dict[str, Any] = {"product": None, "sex": "", "age": None, "education": "", "occupation": "", "extra": {}}
    for code, value in given.items():
        field = fields[code]
        if field.type == "service":
            out["product"] = value
        elif code == "usia" and field.type == "integer":
            out["age"] = value
        elif code in PROFILE_COLUMNS and field.type == "choice":
            out[PROFILE_COLUMNS[code]] = value
        else:
            out["extra"][code] = value
    if len(json.dumps(out["extra"], ensure_ascii=False)) > EXTRA_CHARS:
        errors.append(_("Jawaban tambahan terlalu panjang."))
    if errors:
        raise ValidationError({"profile": errors})
    return out


def response_submit(*, campaign: Campaign, client_token: str, answers: Mapping[str, Any],
                    profile: Mapping[str, Any] | None = None, suggestion: str = "", complete: bool = True,
                    channel: str = Channel.WEB, actor: Any = None, started_at: dt.datetime | None = None,
                    ) -> tuple[Response, bool]:
    """Store one response (or complete a partial one with the same token); (response, created).
    Sending a complete response again changes nothing. Refused with ``ValidationError`` (what is
    wrong with the answers) or ``Rejected`` (the campaign does not take responses now)."""
    token = str(client_token or "").strip()
    if not 8 <= len(token) <= TOKEN_CHARS or not token.replace("-", "").replace("_", "").isalnum():
        raise ValidationError({"client_token": [_("Token kiriman tidak sah.")]})
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Saluran tidak dikenal.")]})
    if campaign.state not in _open_states(channel):
        raise Rejected(_("Survei ini tidak sedang menerima jawaban."))
    if len(suggestion or "") > SUGGESTION_CHARS:
        raise ValidationError({"suggestion": [_("Saran paling banyak %(n)d karakter.") % {"n": SUGGESTION_CHARS}]})
    version = campaign.version
    clean = clean_answers(version, answers, complete)
    person = clean_profile(campaign, profile or {}, clean, complete)
    try:
        return _store(campaign, version, token, clean, person, suggestion or "", complete, channel, actor, started_at)
    except IntegrityError:  # the same token arrived twice at once: the other request stored it
        existing = Response.objects.get(campaign=campaign, client_token=token)
        return existing, False


def _stored_if_open(campaign: Campaign, token: str, channel: str) -> bool:
    """Whether a response with this token is stored already, once the campaign is read again inside
    the write and found taking responses (else ``Rejected``): the public form works from a cached
    campaign (``selectors.public_campaign``). One round trip. No lock: a response written while
    the campaign closes counts like one sent a moment earlier, and publishing needs a closed
    campaign first, so the frozen result never misses a response accepted before it."""
    campaigns, responses = Campaign._meta.db_table, Response._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.state, EXISTS (SELECT 1 FROM {responses} r WHERE r.campaign_id = c.id "  # noqa: S608
                       f"AND r.client_token = %s) FROM {campaigns} c WHERE c.id = %s", [token, campaign.pk])
        row = cursor.fetchone()
    if row is None or row[0] not in _open_states(channel):
        raise Rejected(_("Survei ini tidak sedang menerima jawaban."))
    return bool(row[1])


def _open_states(channel: str) -> tuple[str, ...]:
    staff = channel in (Channel.PAPER, Channel.IMPORT)
    return (Campaign.State.OPEN, Campaign.State.CLOSED) if staff else (Campaign.State.OPEN,)


@transaction.atomic
def _store(campaign: Campaign, version: QuestionnaireVersion, token: str, answers: dict[str, int | None],
           person: dict[str, Any], suggestion: str, complete: bool, channel: str, actor: Any,
           started_at: dt.datetime | None) -> tuple[Response, bool]:
    existing = None
    if _stored_if_open(campaign, token, channel):  # most submissions are new: no ORM read
        existing = (Response.objects.select_for_update().select_related("version")
                    .filter(campaign=campaign, client_token=token).first())
    if existing is not None and (existing.complete):
        return existing, False
    before = None
    if existing is not None:
        before = Response.objects.select_related("version").get(pk=existing.pk)
        response = existing
    else:
        response = Response(campaign=campaign, version=version, client_token=token, channel=channel,
                            started_at=started_at or timezone.now())
    for key, value in slot_values(version, answers).items():
        setattr(response, key, value)
    response.product_id = person["product"]
    response.sex, response.age = person["sex"], person["age"]
    response.education, response.occupation = person["education"], person["occupation"]
    response.extra = person["extra"]
    response.suggestion = suggestion
    response.complete = complete
    response.channel = channel
    if complete:
        response.submitted_at = timezone.now()
    if actor is not None and getattr(actor, "is_authenticated", False):
        response.entered_by = actor
    response.save()
    response.version = version
    tallies.change(before, response)
    return response, existing is None
