"""Walk every URL pattern as every role: only the roles listed may get a 200.

Every named URL of the site must appear in ``ACCESS``: a new page without an entry fails here,
so no page goes live without someone deciding who may open it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {"anonymous", "national_admin", "national_assessor", "head_kalsel", "assessor_kalsel",
          "intake_kalsel", "examiner_kalsel", "assessor_kalteng", "admin_tabalong", "operator_dukcapil",
          "admin_barsel", "outsider"}
SIGNED_IN = PUBLIC - {"anonymous"}
ANY_ROLE = SIGNED_IN - {"outsider"}
# Who sees Pemkab Tabalong (Kalsel) and its units.
SEES_TABALONG = {"national_admin", "national_assessor", "head_kalsel", "assessor_kalsel", "intake_kalsel",
                 "examiner_kalsel", "admin_tabalong", "operator_dukcapil"}
EDITS_TABALONG = {"national_admin", "head_kalsel", "admin_tabalong"}
SEES_DUKCAPIL = SEES_TABALONG
EDITS_DUKCAPIL = EDITS_TABALONG | {"operator_dukcapil"}
INVITERS = {"national_admin", "head_kalsel", "admin_tabalong", "admin_barsel"}
CREATES_INSTITUTIONS = {"national_admin", "head_kalsel"}
# can_edit_registry: national admin, heads of office, provider staff (each within their scope).
REGISTRY_EDITORS = {"national_admin", "head_kalsel", "admin_tabalong", "operator_dukcapil", "admin_barsel"}
# is_office_staff: national staff and every office role (the work list shows each their own units).
OFFICE_STAFF = {"national_admin", "national_assessor", "head_kalsel", "assessor_kalsel", "intake_kalsel",
                "examiner_kalsel", "assessor_kalteng"}
INSTITUTION_ADMINS = {"admin_tabalong", "admin_barsel"}  # self-assessments: each of her own institution
READS_AUDIT = {"national_admin", "head_kalsel", "admin_tabalong", "admin_barsel"}
# The period screens: office staff and institution admins open the list; a draft Kalsel period over
# Tabalong is seen by national staff and Kalsel's office staff; heads and admins create periods.
SEES_PERIODS = OFFICE_STAFF | {"admin_tabalong", "admin_barsel"}
SEES_KALSEL_PERIOD = OFFICE_STAFF - {"assessor_kalteng"}
CREATES_PERIODS = {"national_admin", "head_kalsel", "admin_tabalong", "admin_barsel"}
# Complaints: the queue is for complaint staff and provider staff; a Kalsel report at examination is seen by
# Kalsel's complaint staff, national oversight and (notified by the plenary) Tabalong and its Disdukcapil.
COMPLAINT_QUEUE = {"national_admin", "head_kalsel", "intake_kalsel", "examiner_kalsel", "admin_tabalong",
                   "operator_dukcapil", "admin_barsel"}
SEES_COMPLAINT = {"national_admin", "head_kalsel", "intake_kalsel", "examiner_kalsel", "admin_tabalong",
                  "operator_dukcapil"}
COMPLAINT_OFFICE = {"head_kalsel", "intake_kalsel", "examiner_kalsel"}
# The SLA dashboard and the statistics: Ombudsman complaint staff of an office and national staff, no provider.
COMPLAINT_OVERSIGHT = {"national_admin", "head_kalsel", "intake_kalsel", "examiner_kalsel"}

Args = Callable[[Any], list[Any]]
NONE: Args = lambda c: []  # noqa: E731


def _pending_event(c: Any) -> list[Any]:
    """A dissolution of Tabalong's DPMPTSP dated next year (pending): its correct and undo pages."""
    import datetime as dt

    from pantau.registry import unit_changes

    event = unit_changes.unit_event_record(actor=c.national_admin, kind="dissolve", institution=c.tabalong,
                                           date=dt.date.today() + dt.timedelta(days=365), from_units=[c.dpmptsp])
    return [event.pk]

def _open311_submission(c: Any) -> Any:
    """A public report filed through Open311 (its case and token)."""
    import uuid

    from pantau.complaints.tests.helpers import file_report
    from pantau.open311 import keys
    from pantau.open311.models import Submission

    client = keys.client_issue(actor=keys.SYSTEM, name="walk")[0]
    case = file_report(c, visibility="public", client_token=uuid.uuid4().hex).case
    return Submission.objects.create(case=case, client=client, service_code="kepolisian", token=uuid.uuid4().hex)


def _complaint_file(c: Any) -> list[Any]:
    """A confidential report at examination (examiner_kalsel assigned) with a photo the reporter gave."""
    return [*_complaint_with_file(c)[:2]]


def _complaint_reporter_file(c: Any) -> list[Any]:
    _case, item, token = _complaint_with_file(c)
    return [token, item]


def _complaint_with_file(c: Any) -> tuple[int, int, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from pantau.complaints import files
    from pantau.complaints.tests.helpers import file_report, to_examination
    from pantau.complaints.tests.test_files import gps_photo

    opened = file_report(c)
    case = to_examination(c, opened.case)
    with transaction.atomic():
        [item] = files.attach(case=case, uploads=[SimpleUploadedFile("ktp.jpg", gps_photo(), "image/jpeg")],
                              source="reporter")
    return case.pk, item.pk, opened.token


def _complaint_lahp(c: Any) -> list[Any]:
    """A confidential report whose LAHP was issued (Tabalong and its Disdukcapil notified)."""
    from pantau.complaints.tests.helpers import file_report, to_examination, to_lahp

    return [to_lahp(c, to_examination(c, file_report(c).case)).pk]


def _export_job(c: Any) -> list[Any]:
    """A finished export of admin_tabalong's: its page and its file are hers alone."""
    from pantau.registry import transfer_jobs

    return [transfer_jobs.start_export(c.admin_tabalong).pk]


def _methodology(c: Any) -> list[Any]:
    """ombudsman-2022 as stored by ``load_methodologies`` (loading it again changes nothing)."""
    from pantau.assessments import methodology, services

    version, _ = services.load_version(services.SYSTEM_ACTOR, methodology.load_shipped("ombudsman-2022"))
    return [version.methodology.slug, version.version]


def _kalsel_period(c: Any) -> list[Any]:
    """A Kalsel period over Tabalong, in draft."""
    from pantau.assessments.tests.cycle_helpers import make_period

    return [make_period(c).pk]


def _sampled_unit(c: Any) -> list[Any]:
    """Tabalong's Disdukcapil in the sample of a Kalsel period (in draft)."""
    from pantau.assessments import services_period
    from pantau.assessments.models import SampledUnit
    from pantau.assessments.tests.cycle_helpers import make_period

    period = make_period(c)
    services_period.sample_choose(actor=c.head_kalsel, period=period, institution_id=c.tabalong.pk, rule="all")
    return [SampledUnit.objects.get(period=period, unit=c.dukcapil).pk]


def _self_period(c: Any) -> list[Any]:
    """A self-assessment of Pemkab Tabalong by its admin, collecting answers: hers alone."""
    import datetime as dt

    from pantau.assessments import services_self
    from pantau.assessments.tests.cycle_helpers import stored_version

    started = services_self.self_assessment_start(
        actor=c.admin_tabalong, institution_id=c.tabalong.pk, methodology_version=stored_version("self-assessment"),
        title="Penilaian mandiri", year=dt.date.today().year, collection_end=dt.date.today() + dt.timedelta(days=30))
    return [started.period.pk]
def _evidence(c: Any) -> list[Any]:
    """A photo of Disdukcapil's sample (``_sampled_unit``): whoever sees the unit gets the file."""
    from django.core.files.base import ContentFile

    from pantau.assessments.models import Evidence

    ev = Evidence(sampled_unit_id=_sampled_unit(c)[0], item="mk_maklumat", kind="photo",
                  client_token=f"walk-{Evidence.objects.count()}",
                  content_type="image/jpeg")
    ev.file.save("walk.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    return [ev.pk]


def _results(c: Any) -> list[Any]:
    """The published 2025 period of Tabalong (made once per cast)."""
    from pantau.assessments.tests.results_helpers import published_now

    return [published_now(c).year]


def _results_institution(c: Any) -> list[Any]:
    return [*_results(c), c.tabalong.pk]


def _results_unit(c: Any) -> list[Any]:
    from pantau.assessments.models import SampledUnit
    from pantau.assessments.tests.results_helpers import published_now

    return [*_results_institution(c), SampledUnit.objects.get(period=published_now(c), unit=c.dukcapil).pk]


def _results_period(c: Any) -> list[Any]:
    from pantau.assessments.tests.results_helpers import published_now

    return [published_now(c).pk]


def _campaign(c: Any) -> list[Any]:
    """An open SKM at Tabalong's Disdukcapil (made once per cast)."""
    from pantau.surveys.models import Campaign
    from pantau.surveys.tests.helpers import make_campaign

    found = Campaign.objects.filter(unit=c.dukcapil).first()
    return [(found or make_campaign(c)).pk]


def _follow_up(c: Any) -> list[Any]:
    """A follow-up item of ``_campaign``."""
    import datetime as dt

    from pantau.surveys.models import Campaign, FollowUp

    campaign = Campaign.objects.get(pk=_campaign(c)[0])
    item = FollowUp.objects.filter(campaign=campaign).first() or FollowUp.objects.create(
        campaign=campaign, element="waktu", action="Tambah loket", owner="Sekretaris", due_date=dt.date(2026, 6, 30),
        created_by=c.admin_tabalong)
    return [campaign.pk, item.pk]


def _skm_version(c: Any) -> list[Any]:
    """The built-in SKM questionnaire's stored version (every survey user may download it)."""
    from pantau.surveys import services

    return [services.builtin_version("skm-2017").pk]


def _campaign_token(c: Any) -> list[Any]:
    from pantau.surveys.models import Campaign

    return [Campaign.objects.get(pk=_campaign(c)[0]).public_token]


# Survey staff screens: office staff and provider staff (each sees the campaigns of their units).
SURVEY_STAFF = OFFICE_STAFF | {"admin_tabalong", "operator_dukcapil", "admin_barsel"}

# Who manages the Kalsel office's periods (cycle_rules.manages_period): the national admin, its head.
MANAGES_KALSEL_PERIOD = {"national_admin", "head_kalsel"}

# url name -> (arguments from the cast, roles that may open it with a 200)
ACCESS: dict[str, tuple[Args, set[str]]] = {
    "public:home": (NONE, PUBLIC),
    "public:search": (NONE, PUBLIC),
    "public:product": (lambda c: [c.ktp.pk], PUBLIC),
    "public:product_short": (lambda c: [c.ktp.pk], set()),  # a redirect
    "public:board": (lambda c: [c.ktp.pk], PUBLIC),
    "public:map_provinces": (NONE, PUBLIC),
    "public:map_regencies": (lambda c: [c.kalsel_province.code], PUBLIC),
    "public:map_completeness": (NONE, PUBLIC),
    "public:institution": (lambda c: [c.tabalong.pk], PUBLIC),
    "public:help": (NONE, PUBLIC),
    "assessments:methodologies": (NONE, PUBLIC),
    "assessments:methodology_version": (_methodology, PUBLIC),
    "assessment_work:work_list": (NONE, OFFICE_STAFF),
    "assessment_work:unit": (_sampled_unit, OFFICE_STAFF - {"assessor_kalteng"}),
    "self_assessment:list": (NONE, INSTITUTION_ADMINS),
    "self_assessment:start": (NONE, INSTITUTION_ADMINS),
    "self_assessment:summary": (_self_period, {"admin_tabalong"}),
    "assessment_work:sync": (_sampled_unit, set()),  # POST only
    "assessment_work:evidence_upload": (_sampled_unit, set()),  # POST only
    "assessment_work:submit": (_sampled_unit, set()),  # POST only
    "assessment_work:evidence_file": (_evidence, OFFICE_STAFF - {"assessor_kalteng"}),
    "assessment_work:evidence_remove": (_evidence, set()),  # POST only
    "assessment_work:service_worker": (NONE, PUBLIC),  # the offline instrument's worker: no data in it
    "assessment_periods:list": (NONE, SEES_PERIODS),
    "assessment_periods:new": (NONE, CREATES_PERIODS),
    "assessment_periods:institution_search": (NONE, CREATES_PERIODS),
    "assessment_periods:detail": (_kalsel_period, SEES_KALSEL_PERIOD),
    "assessment_periods:step": (_kalsel_period, set()),  # POST only
    "assessment_periods:sample": (lambda c: [*_kalsel_period(c), c.tabalong.pk], SEES_KALSEL_PERIOD),
    "assessment_periods:results": (_kalsel_period, SEES_KALSEL_PERIOD),
    "assessment_periods:correct": (_kalsel_period, set()),  # published periods only (test_period_response)
    "assessment_periods:unit": (_sampled_unit, SEES_KALSEL_PERIOD),
    "assessment_periods:unit_assign": (_sampled_unit, set()),  # POST only
    "assessment_periods:unit_submit": (_sampled_unit, set()),  # POST only
    "assessment_periods:unit_approve": (_sampled_unit, set()),  # POST only
    "assessment_periods:unit_return": (_sampled_unit, set()),  # POST only
    # the provider's pages open with the response window (test_period_response walks them)
    "assessment_periods:unit_answers": (_sampled_unit, set()),
    "assessment_periods:contest_new": (lambda c: [1], set()),
    "assessment_periods:contest": (lambda c: [1], set()),
    "results:index": (NONE, PUBLIC),
    "results:period": (_results, PUBLIC),
    "results:institution": (_results_institution, PUBLIC),
    "results:unit": (_results_unit, PUBLIC),
    "results:rapor": (_results_institution, PUBLIC),
    "results:export": (_results_period, MANAGES_KALSEL_PERIOD),
    "surveys:form": (_campaign_token, PUBLIC),
    "surveys:save_partial": (_campaign_token, set()),  # POST only
    "surveys:thanks": (_campaign_token, PUBLIC),
    "surveys:unit_results": (lambda c: [c.dukcapil.pk], PUBLIC),
    "surveys:unit_report": (lambda c: [c.dukcapil.pk, *_campaign(c)], set()),  # published campaigns only
    "surveys:institution_results": (lambda c: [c.tabalong.pk], PUBLIC),
    "surveys:institution_report": (lambda c: [c.tabalong.pk, *_campaign(c)], set()),  # published, no unit, only
    "survey_manage:list": (NONE, SURVEY_STAFF),
    "survey_manage:new": (lambda c: [c.dukcapil.pk], EDITS_DUKCAPIL),
    "survey_manage:new_institution": (lambda c: [c.tabalong.pk], EDITS_TABALONG),
    "survey_manage:detail": (_campaign, SEES_DUKCAPIL),
    "survey_manage:edit": (_campaign, EDITS_DUKCAPIL),
    "survey_manage:state": (_campaign, set()),  # POST only
    "survey_manage:poster": (_campaign, SEES_DUKCAPIL),
    "survey_manage:export": (_campaign, SEES_DUKCAPIL),
    "survey_manage:report": (_campaign, SEES_DUKCAPIL),
    "survey_manage:export_xlsx": (_campaign, set()),  # POST only
    "survey_manage:paper": (_campaign, EDITS_DUKCAPIL),
    "survey_manage:import": (_campaign, EDITS_DUKCAPIL),
    "survey_manage:questionnaires": (lambda c: [c.dukcapil.pk], SEES_DUKCAPIL),
    "survey_manage:version_xlsform": (_skm_version, SURVEY_STAFF),
    "survey_manage:follow_up_new": (_campaign, EDITS_DUKCAPIL),
    "survey_manage:follow_up": (_follow_up, EDITS_DUKCAPIL),
    "manage:dashboard": (NONE, SIGNED_IN),
    "manage:institutions": (NONE, ANY_ROLE),
    "manage:institution_new": (NONE, CREATES_INSTITUTIONS),
    "manage:institution": (lambda c: [c.tabalong.pk], SEES_TABALONG),
    "manage:institution_edit": (lambda c: [c.tabalong.pk], EDITS_TABALONG),
    "manage:institution_component": (lambda c: [c.tabalong.pk, "pengawasan"], SEES_TABALONG),
    "manage:unit_new": (lambda c: [c.tabalong.pk], EDITS_TABALONG),
    "manage:unit_event": (lambda c: [c.tabalong.pk], EDITS_TABALONG),
    "manage:unit_event_correct": (_pending_event, EDITS_TABALONG),
    "manage:unit_event_undo": (_pending_event, EDITS_TABALONG),
    "manage:unit": (lambda c: [c.dukcapil.pk], SEES_DUKCAPIL),
    "manage:product_new": (lambda c: [c.dukcapil.pk], EDITS_DUKCAPIL),
    "manage:product": (lambda c: [c.ktp.pk], SEES_DUKCAPIL),
    "manage:standard_edit": (lambda c: [c.ktp.pk], EDITS_DUKCAPIL),
    "manage:product_edit": (lambda c: [c.ktp.pk], EDITS_DUKCAPIL),
    "manage:product_status": (lambda c: [c.ktp.pk], EDITS_DUKCAPIL),
    "manage:import": (NONE, REGISTRY_EDITORS),
    "manage:import_template": (NONE, REGISTRY_EDITORS),
    "manage:export": (NONE, ANY_ROLE),
    "accounts:login": (NONE, {"anonymous"}),  # signed-in users are sent on to their dashboard
    "accounts:logout": (NONE, set()),  # POST only
    "accounts:password_reset": (NONE, PUBLIC),
    "accounts:password_reset_done": (NONE, PUBLIC),
    "accounts:password_reset_confirm": (lambda c: ["MQ", "set-password"], PUBLIC),
    "accounts:password_reset_complete": (NONE, PUBLIC),
    "accounts:users": (NONE, INVITERS),
    "accounts:invite": (NONE, INVITERS),
    "accounts:user": (lambda c: [c.operator_dukcapil.pk], EDITS_TABALONG),
    "accounts:user_deactivate": (lambda c: [c.operator_dukcapil.pk], set()),  # POST only
    "accounts:user_reactivate": (lambda c: [c.operator_dukcapil.pk], set()),  # POST only
    "accounts:user_unlock": (lambda c: [c.operator_dukcapil.pk], set()),  # POST only
    "accounts:membership_edit": (lambda c: [c.operator_dukcapil.memberships.get().pk], EDITS_TABALONG),
    "accounts:membership_remove": (lambda c: [c.operator_dukcapil.memberships.get().pk], set()),  # POST only
    "accounts:invitation_revoke": (lambda c: [1], set()),  # POST only
    "accounts:invitation_resend": (lambda c: [1], set()),  # POST only
    "accounts:accept": (lambda c: ["not-a-token"], set()),
    "accounts:tokens": (NONE, SIGNED_IN),
    "accounts:token_revoke": (lambda c: [1], set()),
    "complaint_files:staff": (_complaint_file, {"intake_kalsel", "examiner_kalsel"}),
    "complaints:report": (NONE, PUBLIC),
    "complaints:filed": (NONE, PUBLIC),
    "complaints:track_help": (NONE, PUBLIC),
    "complaints:track": (lambda c: [_complaint_with_file(c)[2]], PUBLIC),
    "complaint_manage:list": (NONE, COMPLAINT_QUEUE),
    "complaint_manage:new": (NONE, COMPLAINT_QUEUE - {"national_admin"}),
    "complaint_manage:saved_queue_save": (NONE, set()),  # POST only
    "complaint_manage:saved_queue_delete": (lambda c: [1], set()),  # POST only
    "complaint_manage:sla": (NONE, COMPLAINT_OVERSIGHT),
    "complaint_manage:stats": (NONE, COMPLAINT_OVERSIGHT),
    "complaint_manage:stats_csv": (NONE, COMPLAINT_OVERSIGHT),
    "complaint_manage:stats_xlsx": (NONE, COMPLAINT_OVERSIGHT),
    "complaint_manage:case": (lambda c: _complaint_file(c)[:1], SEES_COMPLAINT),
    **{f"complaint_manage:{name}": (lambda c: _complaint_file(c)[:1], set())  # POST only
       for name in ("identity", "checks", "conclusion", "classify", "assign", "hand_over", "visibility",
                    "duplicate_link", "duplicate_unlink")},
    "complaint_manage:act": (lambda c: [*_complaint_file(c)[:1], "summon"], set()),  # POST only
    "complaint_manage:demand_answer": (lambda c: [*_complaint_file(c)[:1], 1], set()),  # POST only
    "complaint_manage:demand_assess": (lambda c: [*_complaint_file(c)[:1], 1], set()),  # POST only
    "complaint_files:reporter": (_complaint_reporter_file, PUBLIC),
    # Generated documents: Kalsel's complaint staff; the issued LAHP also the notified provider; the queue export
    # for everyone with a queue (GET of the XLSX export shows the page that starts the job).
    "complaint_docs:lahp": (_complaint_lahp, COMPLAINT_OFFICE | {"admin_tabalong", "operator_dukcapil"}),
    "complaint_docs:clarification": (lambda c: _complaint_file(c)[:1], COMPLAINT_OFFICE),
    "complaint_docs:export_csv": (NONE, COMPLAINT_QUEUE),
    "complaint_docs:export_xlsx": (NONE, COMPLAINT_QUEUE),
    # Open311 GeoReport v2: public reads (a confidential report answers 404 to everyone, as in pantau/open311/tests).
    "open311:discovery": (lambda c: ["json"], PUBLIC),
    "open311:services": (lambda c: ["xml"], PUBLIC),
    "open311:service": (lambda c: ["kepolisian", "json"], PUBLIC),
    "open311:requests": (lambda c: ["xml"], PUBLIC),
    "open311:request": (lambda c: [_open311_submission(c).case_id, "json"], PUBLIC),
    "open311:token": (lambda c: [_open311_submission(c).token, "xml"], PUBLIC),
    "open311_manage:list": (NONE, {"national_admin"}),
    "open311_manage:revoke": (lambda c: [_open311_submission(c).client_id], set()),  # POST only
    "jobs:list": (NONE, SIGNED_IN),
    "jobs:detail": (_export_job, {"admin_tabalong"}),
    "jobs:download": (_export_job, {"admin_tabalong"}),
    "core:audit": (NONE, READS_AUDIT),
    "core:audit_export": (NONE, READS_AUDIT),
    "core:audit_institutions": (NONE, READS_AUDIT),
    "core:audit_actors": (NONE, READS_AUDIT),
    "healthz": (NONE, PUBLIC),
    "set_language": (NONE, set()),  # POST only; a GET redirects back
}


def _names(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in ("admin", "api"):
                continue  # admin: superusers only (tested below); api: per-operation auth (test_api)
            yield from _names(entry, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def test_every_url_declares_who_may_open_it() -> None:
    assert sorted(set(_names(get_resolver()))) == sorted(ACCESS)


def _client(cast: Any, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast.users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PUBLIC))
def test_only_the_listed_roles_get_a_page(cast: Any, role: str) -> None:
    client = _client(cast, role)
    unexpected, refused = [], []
    for name, (args, allowed) in ACCESS.items():
        url = reverse(name, args=args(cast))
        status = client.get(url).status_code
        if role in allowed and status != 200:
            refused.append((name, status))
        if role not in allowed and status == 200:
            unexpected.append(name)
        if role not in allowed and role != "anonymous":
            assert status in (302, 404, 405), (name, status)
    assert unexpected == [], f"{role} opened pages outside their scope: {unexpected}"
    assert refused == [], f"{role} was refused pages they should see: {refused}"


@pytest.mark.django_db
def test_objects_of_another_province_answer_404(cast: Any) -> None:
    client = _client(cast, "assessor_kalteng")
    for name, pk in [("manage:institution", cast.tabalong.pk), ("manage:unit", cast.dukcapil.pk),
                     ("manage:product", cast.ktp.pk)]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.get(reverse("manage:institution", args=[cast.barsel.pk])).status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_of_staff_pages_are_sent_to_login(cast: Any) -> None:
    response = Client().get(reverse("manage:institutions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(SIGNED_IN - {"national_admin"}))
def test_the_admin_site_is_for_national_admins_only(cast: Any, role: str) -> None:
    cast.users["national_admin"].is_staff = cast.users["national_admin"].is_superuser = True
    cast.users["national_admin"].save()
    assert _client(cast, role).get("/admin/").status_code == 404
    assert _client(cast, "national_admin").get("/admin/").status_code == 200


def test_a_view_without_a_rule_is_refused(rf: Any) -> None:
    from django.http import HttpResponse

    from pantau.core.middleware import AccessRuleMiddleware

    def naked(request: Any) -> HttpResponse:
        return HttpResponse("secret")

    request = rf.get("/x")
    request.user = type("Anon", (), {"is_authenticated": False})()
    request.resolver_match = None
    from django.http import Http404

    with pytest.raises(Http404):
        AccessRuleMiddleware(lambda r: HttpResponse()).process_view(request, naked, (), {})
