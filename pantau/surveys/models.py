"""Surveys: questionnaires (versioned), campaigns, responses and the tallies kept on write.

- A **questionnaire version** stores its document (what ``questionnaires.parse`` reads) and never
  changes once a response points at it; changing a questionnaire makes a new version.
- A **campaign** is a unit (or a whole institution) × a questionnaire version × a period, with
  the population N of the previous period (the Krejcie–Morgan minimum sample follows from it).
- A **response** keeps its answers as small integers in slots ``a1``…``a30``: slot i is the
  version's i-th element (so the database can sum them); the value is the chosen option's
  position (IKM: 1–4; perception: 1 Ya, 2 Tidak, 3 Tidak tahu). ``client_token`` makes a
  submission idempotent: sending it twice stores one response.
- A **tally** row per campaign × breakdown (everything, service, sex, age band, education,
  occupation, channel) keeps the sums the indices need, updated in the same transaction as the
  response (``tallies.py``); ``pantau rebuild_survey_tallies`` recomputes them from the responses.
"""

from __future__ import annotations

import json
import secrets
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pantau.core.fields import BoundedTextField
from pantau.registry.models import Institution, ServiceProduct, ServiceUnit
from pantau.surveys import questionnaires

MAX_ELEMENTS = 30
TOKEN_CHARS = 64
SUGGESTION_CHARS = 1000
EXTRA_CHARS = 4000  # the JSON of answers to questions outside the index and the profile


PARSED_KEPT = 256
_PARSED: dict[str, questionnaires.Questionnaire] = {}


def new_public_token() -> str:
    return secrets.token_urlsafe(9)  # 12 characters: short enough for a poster, unguessable enough


class Kind(models.TextChoices):
    IKM = "ikm", _("Indeks kepuasan masyarakat")
    PERCEPTION = "perception", _("Persepsi maladministrasi")


class Questionnaire(models.Model):
    """A questionnaire: built in (``unit`` empty) or a unit's own adaptation."""

    slug = models.CharField(max_length=questionnaires.CODE_CHARS)
    title = models.CharField(max_length=questionnaires.TEXT_CHARS)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(ServiceUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="questionnaires")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("kuesioner")
        verbose_name_plural = _("kuesioner")
        constraints = [
            models.UniqueConstraint(fields=["slug"], condition=models.Q(unit=None), name="survey_builtin_slug_unique"),
            models.UniqueConstraint(fields=["unit", "slug"], name="survey_unit_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.JSONField()  # questionnaires.parse input
    profile = models.CharField(max_length=40, blank=True)  # indices.PROFILES key ("" for perception)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="survey_version_unique")]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @cached_property
    def parsed(self) -> questionnaires.Questionnaire:
        """The document parsed (and its expressions compiled) once per process. A stored version
        never changes, so its id and creation time name its document (a public submission reads
        the version without it, ``selectors.public_campaign``); one not yet stored is named by its
        document."""
        key = (f"{self.pk}@{self.created_at.isoformat()}" if self.pk and self.created_at
               else json.dumps(self.document, sort_keys=True, ensure_ascii=False))
        found = _PARSED.get(key)
        if found is None:
            found = questionnaires.parse(self.document, f"questionnaire {self.pk} v{self.number}")
            if len(_PARSED) >= PARSED_KEPT:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[key] = found
        return found


class Campaign(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Dibuka")
        CLOSED = "closed", _("Ditutup")
        PUBLISHED = "published", _("Diterbitkan")

    title = models.CharField(max_length=200)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="survey_campaigns")
    unit = models.ForeignKey(ServiceUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="survey_campaigns")  # empty: the whole institution
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="campaigns")
    period_start = models.DateField()
    period_end = models.DateField()
    population = models.PositiveIntegerField(null=True, blank=True)  # service users of the previous period
    population_source = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    public_token = models.CharField(max_length=20, unique=True, default=new_public_token)
    result = models.JSONField(null=True, blank=True)  # the published result (results.published_result)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("kampanye survei")
        verbose_name_plural = _("kampanye survei")
        indexes = [
            models.Index(fields=["unit", "state", "period_end"]),
            models.Index(fields=["institution", "state", "period_end"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def surveyed_name(self) -> str:
        """What the campaign surveys: its unit, or the whole institution."""
        return self.unit.name if self.unit is not None else self.institution.name

    def public_results_url(self) -> str:
        from django.urls import reverse

        if self.unit_id is not None:
            return reverse("surveys:unit_results", args=[self.unit_id])
        return reverse("surveys:institution_results", args=[self.institution_id])


class CampaignService(models.Model):
    """A service (registry product) the campaign covers, with its volume N_h when known."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="services")
    product = models.ForeignKey(ServiceProduct, on_delete=models.PROTECT, related_name="survey_services")
    volume = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "product__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "product"], name="survey_service_unique")]

    def __str__(self) -> str:
        return str(self.product_id)


class Channel(models.TextChoices):
    WEB = "web", _("Tautan")
    QR = "qr", _("Kode QR")
    PAPER = "paper", _("Kuesioner kertas")
    IMPORT = "import", _("Impor berkas")
    API = "api", _("API")


class Response(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    client_token = models.CharField(max_length=TOKEN_CHARS)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    complete = models.BooleanField(default=False)  # partial responses never count in the index
    product = models.ForeignKey(ServiceProduct, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sex = models.CharField(max_length=40, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    education = models.CharField(max_length=40, blank=True)
    occupation = models.CharField(max_length=40, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    suggestion = BoundedTextField(blank=True, max_length=SUGGESTION_CHARS)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # staff keying a paper questionnaire or importing
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "client_token"], name="survey_response_token")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"

    def slots(self) -> list[int | None]:
        return [getattr(self, f"a{i}") for i in range(1, MAX_ELEMENTS + 1)]


class Tally(models.Model):
    """Sums of one campaign's responses in one breakdown cell (``dimension`` × ``key``): complete
    and partial counts, per element slot the points ``s<i>`` and answers counted ``c<i>``, and the
    respondents' score moments (``indices.Moments``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=40)
    complete = models.IntegerField(default=0)
    partial = models.IntegerField(default=0)
    r_sum = models.FloatField(default=0.0)
    r_squares = models.FloatField(default=0.0)

    class Meta:
        ordering = ["campaign", "dimension", "key"]
        constraints = [models.UniqueConstraint(fields=["campaign", "dimension", "key"], name="survey_tally_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.dimension}:{self.key}"


def _add_slots() -> None:
    for i in range(1, MAX_ELEMENTS + 1):
        Response.add_to_class(f"a{i}", models.PositiveSmallIntegerField(null=True, blank=True))
        Tally.add_to_class(f"s{i}", models.IntegerField(default=0))
        Tally.add_to_class(f"c{i}", models.IntegerField(default=0))


_add_slots()

SLOT_FIELDS = tuple(f"a{i}" for i in range(1, MAX_ELEMENTS + 1))


def slot_values(version: QuestionnaireVersion, answers: dict[str, Any]) -> dict[str, int | None]:
    """The slot columns of answers keyed by element code."""
    codes = [q.code for q in version.parsed.elements]
    return {f"a{i}": answers.get(code) for i, code in enumerate(codes, start=1)}


class FollowUp(models.Model):
    """A follow-up plan item (rencana tindak lanjut) for a weak element of a campaign: what the
    unit will do, who owns it (a position, not a person's private data), by when, and how far it is.
    Shown on the campaign page and, once the campaign is published, on the unit's public results."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        DONE = "done", _("Selesai")
        DROPPED = "dropped", _("Dibatalkan")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="follow_ups")
    element = models.CharField(max_length=questionnaires.CODE_CHARS)
    action = BoundedTextField(max_length=1000)
    owner = models.CharField(max_length=150)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    note = BoundedTextField(blank=True, max_length=1000)  # what was done, or why it was dropped
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "due_date", "pk"]
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")

    def __str__(self) -> str:
        return f"{self.element}: {self.action[:60]}"

    @property
    def overdue(self) -> bool:
        import datetime as dt

        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and self.due_date < dt.date.today()
