"""The substance list an installation sets (``COMPLAINT_SUBSTANCES``): offered by the classification form
and Open311, enforced by the service, a case's old substance kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pantau.complaints import forms_manage, lists, services, vocab
from pantau.complaints.models import Case
from pantau.complaints.tests.helpers import file_report
from pantau.open311 import catalog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2nd")]
OURS = ["Pajak dan retribusi daerah", "Kepegawaian", "Pajak dan retribusi daerah", " "]


def offered(form: Any) -> list[str]:
    return [value for value, _label in form.fields["substance"].choices if value]


def test_without_a_setting_the_shipped_list_is_used(settings: Any) -> None:
    settings.COMPLAINT_SUBSTANCES = []
    assert lists.substances() == vocab.DEFAULT_SUBSTANCES
    assert offered(forms_manage.ClassifyForm()) == list(vocab.DEFAULT_SUBSTANCES)


def test_the_configured_list_is_offered_enforced_and_served(c: Any, settings: Any) -> None:
    settings.COMPLAINT_SUBSTANCES = OURS
    assert lists.substances() == ("Pajak dan retribusi daerah", "Kepegawaian")  # blanks and repeats dropped
    assert offered(forms_manage.ClassifyForm()) == ["Pajak dan retribusi daerah", "Kepegawaian"]
    case = file_report(c).case
    services.case_classify(actor=c.head_kalsel, case=case, substance="Pajak dan retribusi daerah")
    assert Case.objects.get(pk=case.pk).substance == "Pajak dan retribusi daerah"
    with pytest.raises(ValidationError, match="tidak ada di daftar substansi"):
        services.case_classify(actor=c.head_kalsel, case=case, substance="Perizinan")
    assert Case.objects.get(pk=case.pk).substance == "Pajak dan retribusi daerah"  # nothing half-written
    assert [s["service_name"] for s in catalog.services()] == ["Pajak dan retribusi daerah", "Kepegawaian"]
    assert catalog.substance_by_code() == {"pajak-dan-retribusi-daerah": "Pajak dan retribusi daerah",
                                           "kepegawaian": "Kepegawaian"}


def test_a_substance_taken_off_the_list_stays_on_its_cases(c: Any, settings: Any) -> None:
    settings.COMPLAINT_SUBSTANCES = []
    case = file_report(c).case
    services.case_classify(actor=c.head_kalsel, case=case, substance="Perizinan")
    settings.COMPLAINT_SUBSTANCES = OURS
    case.refresh_from_db()
    assert "Perizinan" in offered(forms_manage.ClassifyForm(keep=case.substance))
    assert "Perizinan" not in offered(forms_manage.ClassifyForm())
    services.case_classify(actor=c.head_kalsel, case=case, substance="Perizinan", complexity="light")
    assert Case.objects.get(pk=case.pk).complexity == "light"
    other = file_report(c, client_token="another").case
    with pytest.raises(ValidationError):
        services.case_classify(actor=c.head_kalsel, case=other, substance="Perizinan")
