"""Complaint cases (laporan masyarakat) and what hangs off them (issue 10; DESIGN.md "complaints").

A :class:`Case` moves only through ``services.case_transition``, which applies ``workflow.apply`` (the one
transition table) and carries out its effects: the ``state`` and ``kind`` fields are written by that service
and by ``services.case_open``, nowhere else. The reporter's identity lives in its own table
(:class:`Reporter`) so that only the selectors that may show it read it, every disclosure is audited, and
the retention command can blank it while the case's statistics stay. Public text is kept twice: as given
(``chronology``, seen by staff) and redacted (``public_summary``: e-mail, phone and NIK removed, every
occurrence) for the pages a reporter who chose *public* is shown on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, default_storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from pantau.complaints.vocab import Complexity, Conclusion, RecordKind, State
from pantau.core.fields import BoundedTextField

TEXT_LIMIT = 10_000  # a chronology, a remedy, an answer
NOTE_LIMIT = 4_000


def attachment_storage() -> Storage:
    """Private storage of complaint attachments (settings ``STORAGES["complaints"]``)."""
    return storages["complaints"] if "complaints" in settings.STORAGES else default_storage


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, getattr(member, "label", member.value)) for member in enum]  # type: ignore[attr-defined]


class Channel(models.TextChoices):
    WEB = "web", _("Formulir web")
    WALK_IN = "walk_in", _("Datang langsung")
    LETTER = "letter", _("Surat")
    PHONE = "phone", _("Telepon")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    API = "api", _("API")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publik")
    ANONYMOUS = "anonymous", _("Anonim (isi publik, identitas dirahasiakan)")
    CONFIDENTIAL = "confidential", _("Rahasia (tidak ada yang dipublikasikan)")


VISIBILITY_RANK = {Visibility.PUBLIC: 0, Visibility.ANONYMOUS: 1, Visibility.CONFIDENTIAL: 2}


class PriorComplaint(models.TextChoices):
    ANSWERED = "answered", _("Sudah mengadu, ada jawaban yang tidak menyelesaikan")
    SILENT = "silent", _("Sudah mengadu, tidak ada jawaban")
    NOT_YET = "not_yet", _("Belum mengadu kepada instansi")


class Case(models.Model):
    """A report, consultation, copy letter, fast response, own-initiative investigation, or a complaint
    made to a provider itself (``vocab.RecordKind``)."""

    number = models.CharField(_("nomor agenda"), max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=_choices(RecordKind), editable=False)
    state = models.CharField(max_length=30, choices=_choices(State), default=State.RECEIVED, editable=False)
    # Who holds the case: an Ombudsman office, or (a provider complaint) the reported institution.
    office = models.ForeignKey("registry.Office", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="cases")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.CONFIDENTIAL)
    # What is reported.
    title = models.CharField(_("pokok laporan"), max_length=200)
    chronology = BoundedTextField(_("kronologi"), max_length=TEXT_LIMIT)
    public_summary = BoundedTextField(max_length=TEXT_LIMIT, blank=True, editable=False)  # redacted
    event_date = models.DateField(_("tanggal peristiwa"), null=True, blank=True)
    remedy = BoundedTextField(_("harapan pelapor"), max_length=TEXT_LIMIT, blank=True)
    prior_complaint = models.CharField(max_length=10, choices=PriorComplaint.choices, blank=True)
    prior_complaint_date = models.DateField(null=True, blank=True)
    prior_complaint_channel = models.CharField(max_length=100, blank=True)
    prior_complaint_answer = BoundedTextField(max_length=NOTE_LIMIT, blank=True)
    institution = models.ForeignKey("registry.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="cases")
    unit = models.ForeignKey("registry.ServiceUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cases")
    product = models.ForeignKey("registry.ServiceProduct", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="cases")
    reported_other = models.CharField(_("instansi terlapor (tidak ada di daftar)"), max_length=200, blank=True)
    province = models.ForeignKey("registry.Province", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    # Flags for the intake officer (never a refusal by themselves).
    event_too_old = models.BooleanField(default=False)
    in_court = models.BooleanField(default=False)
    outside_authority = models.BooleanField(default=False)
    # Classification (vocab.Classification).
    substance = models.CharField(max_length=100, blank=True)
    agency_group = models.CharField(max_length=100, blank=True)
    alleged = models.JSONField(default=list, blank=True)  # Maladministration codes
    found = models.JSONField(default=list, blank=True)
    complexity = models.CharField(max_length=10, choices=_choices(Complexity), blank=True)
    reporter_type = models.CharField(max_length=20, blank=True)
    # Facts the workflow's guards read (workflow.CaseFacts); set by services, never by a form directly.
    formal_complete = models.BooleanField(default=False)
    documents_supplied = models.BooleanField(default=False)
    substantive_ok = models.BooleanField(default=False)
    rco_criterion = models.BooleanField(default=False)
    activities = models.JSONField(default=list, blank=True)
    conclusion = models.CharField(max_length=10, choices=_choices(Conclusion), blank=True)
    reporter_answered = models.BooleanField(default=False)
    implementation_reported = models.BooleanField(default=False)
    # Dates and deadlines.
    received_on = models.DateField()
    rule_set = models.CharField(max_length=40)  # deadlines.RuleSet.version in force on received_on
    next_due_on = models.DateField(null=True, blank=True, editable=False)  # the earliest running timer
    closure_reason = models.CharField(max_length=40, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # People.
    intake_officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    provider_notified = models.BooleanField(default=False)  # the reported party has been told (may see it)
    # The reporter's secret tracking link (only its hash is kept) and the submission's client token.
    tracking_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    redacted_at = models.DateTimeField(null=True, blank=True)  # retention: personal data removed
    # Cases staff linked as duplicates of each other (``duplicates.link``): one group, each keeps its history.
    duplicate_group = models.ForeignKey("DuplicateGroup", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="cases", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        indexes = [
            models.Index(fields=["office", "state", "id"]),
            models.Index(fields=["examiner", "state", "id"]),
            models.Index(fields=["institution", "state", "id"]),
            models.Index(fields=["state", "next_due_on"]),
            models.Index(fields=["office", "next_due_on", "id"]),  # the queue by deadline, overdue filters
            models.Index(fields=["closed_at"]),
            models.Index(fields=["created_at"]),  # Open311 GET requests: a window of dates
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def kind_enum(self) -> RecordKind:
        return RecordKind(self.kind)

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED


class Reporter(models.Model):
    """The reporter's identity (UU 37/2008 Pasal 24 ayat (1) huruf a). Read only through
    ``selectors.reporter_for`` (which audits each disclosure); blanked by the retention command."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_place = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    occupation = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    reporter_type = models.CharField(max_length=20, blank=True)
    acting_for = models.CharField(_("bertindak untuk"), max_length=150, blank=True)  # power of attorney
    visibility_consent_at = models.DateTimeField(null=True, blank=True)  # consent to make it less private

    class Meta:
        verbose_name = _("identitas pelapor")
        verbose_name_plural = _("identitas pelapor")
        # The same reporter's other cases (``duplicates``), filled values only.
        indexes = [models.Index(fields=["nik"], name="complaint_reporter_nik", condition=~models.Q(nik="")),
                   models.Index(fields=["email"], name="complaint_reporter_email", condition=~models.Q(email="")),
                   models.Index(fields=["phone"], name="complaint_reporter_phone", condition=~models.Q(phone=""))]

    def __str__(self) -> str:
        return f"pelapor #{self.pk}"  # never the name: a str() may reach a log


class Event(models.Model):
    """One step of a case's history: a transition, an activity, a message from or to the reporter."""

    class Audience(models.TextChoices):
        STAFF = "staff", _("Internal")
        REPORTER = "reporter", _("Pelapor dan petugas")
        PROVIDER = "provider", _("Terlapor dan petugas")
        BOTH = "both", _("Pelapor, terlapor dan petugas")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=40)  # the role acted in, "pelapor" or "sistem"
    action = models.CharField(max_length=40)
    source_state = models.CharField(max_length=30, blank=True)
    target_state = models.CharField(max_length=30, blank=True)
    note = BoundedTextField(max_length=TEXT_LIMIT, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.STAFF)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "id"])]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"



class Timer(models.Model):
    """A running or finished deadline step of ``data/deadlines.toml`` on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timers")
    step = models.CharField(max_length=40)
    started_on = models.DateField()
    due_on = models.DateField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # the daily command's last reminder

    class Meta:
        # A case's running timers (its page, its guards): by case first, else SQLite reads every running timer.
        indexes = [models.Index(fields=["stopped_at", "due_on"]), models.Index(fields=["case", "step"]),
                   models.Index(fields=["case", "stopped_at", "due_on"], name="complaint_timer_running")]

    def __str__(self) -> str:
        return f"{self.step} → {self.due_on}"



class Attachment(models.Model):
    """A file given with a case; stored outside the web root, downloaded only through a permission check."""

    class Source(models.TextChoices):
        REPORTER = "reporter", _("Pelapor")
        STAFF = "staff", _("Petugas Ombudsman")
        PROVIDER = "provider", _("Terlapor")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    source = models.CharField(max_length=10, choices=Source.choices)
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="%Y/%m/", max_length=200, storage=attachment_storage)
    flags = models.JSONField(default=list, blank=True)  # hidden sheets, rows, columns; PDF scripts …
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name



class Outcome(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    IMPLEMENTED = "implemented", _("Dilaksanakan")
    PARTLY = "partly", _("Dilaksanakan sebagian")
    NOT_IMPLEMENTED = "not_implemented", _("Tidak dilaksanakan")


class Demand(models.Model):
    """What the Ombudsman asks of a provider institution: a corrective action (tindakan korektif) after an
    LAHP, or a Recommendation. The provider answers with evidence; the Ombudsman assesses the outcome."""

    class Kind(models.TextChoices):
        CORRECTIVE = "corrective", _("Tindakan korektif")
        RECOMMENDATION = "recommendation", _("Rekomendasi")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="demands")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="demands")
    text = BoundedTextField(_("isi"), max_length=TEXT_LIMIT)
    issued_on = models.DateField()
    due_on = models.DateField()
    answer = BoundedTextField(_("jawaban terlapor"), max_length=TEXT_LIMIT, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    assessed_on = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["institution", "outcome", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"



class Counter(models.Model):
    """The last sequence number given per office (or institution), year and record code: the ``0179`` of
    ``0179/LM/VI/2022/BJM``."""

    holder = models.CharField(max_length=20)  # "o<office id>" or "i<institution id>"
    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["holder", "year", "code"], name="complaint_counter_unique")]

    def __str__(self) -> str:
        return f"{self.holder}/{self.year}/{self.code}: {self.last}"



class Holiday(models.Model):
    """A national holiday or cuti bersama loaded by ``pantau load_holidays`` for a year the shipped file
    lacks; the calendar is the shipped file plus these rows."""

    date = models.DateField(unique=True)
    kind = models.CharField(max_length=20)
    name = models.CharField(max_length=150)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"



class Notice(models.Model):
    """An e-mail to the reporter about a step of their case, sent by a background task and retried; the
    address is read from :class:`Reporter` when it is sent, never copied here."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Tidak dikirim (tanpa alamat e-mail)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.status})"



class DuplicateGroup(models.Model):
    """Cases about the same matter, linked by staff (``duplicates.link``); each case keeps its own history."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self) -> str:
        return f"kelompok laporan ganda #{self.pk}"



class TriageModel(models.Model):
    """A triage model trained by ``pantau complaints_triage_train`` (``triage.py``): for one office, or national
    (``office`` empty). ``data`` is a NumPy ``.npz`` archive of plain arrays (vocabulary, idf, weights, labels),
    read with ``allow_pickle=False``: never a pickle."""

    office = models.ForeignKey("registry.Office", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    trained_at = models.DateTimeField()
    cases = models.PositiveIntegerField()  # decided cases it learned from
    held_back = models.PositiveIntegerField()  # the newest of them, set aside to measure ``accuracy``
    accuracy = models.JSONField(default=dict)
    data = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["office", "version"], name="complaint_triage_office")]

    def __str__(self) -> str:
        return f"model triase {self.office_id or 'nasional'} v{self.version}"


class SavedQueue(models.Model):
    """A queue filter a staff member saved under a name (``saved_queues.py``): the queue's query string,
    kept for them alone, or shared with an office they work in (every complaint staff member there sees it)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama saringan"), max_length=80)
    query = models.CharField(max_length=500)
    office = models.ForeignKey("registry.Office", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="complaint_saved_queue_name")]
        indexes = [models.Index(fields=["office", "name"], name="complaint_saved_queue_office")]

    def __str__(self) -> str:
        return self.name


class Filing(models.Model):
    """A report sent through the public form and not yet registered as a case (``filings.py``): the form's
    validated answers, written in one short transaction while the citizen waits; the background task
    ``tasks.register_filing`` opens the case from it (seconds later) and deletes it. The answers hold the
    reporter's identity: the row is as confidential as :class:`Reporter` and never leaves the database."""

    client_token = models.CharField(max_length=64, unique=True)
    tracking_hash = models.CharField(max_length=64, unique=True)  # of the link shown on the confirmation
    answers = models.JSONField()
    received_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)  # a validation message, never an answer

    def __str__(self) -> str:
        return f"laporan antre #{self.pk}"
