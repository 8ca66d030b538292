"""A unit's questionnaires: the built-in ones and its own adaptations (elements added, weights
given), each version downloadable as XLSForm; an XLSForm made here or in KoboToolbox/ODK tools
uploads as a new version of the unit's questionnaire with that form_id. Every problem of a file is
listed by sheet, row and column, and nothing is stored unless the whole form is valid."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.core.access import access
from pantau.registry.selectors import can_edit_unit, units_for
from pantau.surveys import questionnaires, services, xlsform
from pantau.surveys.messages import translate
from pantau.surveys.models import Questionnaire, QuestionnaireVersion
from pantau.surveys.views_manage import staff

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas XLSForm (.xlsx, paling besar 5 MB)"))


def _shown(problem: xlsform.Problem) -> str:
    """A problem of the file in the user's language: where it is (sheet, row, column), then what."""
    where = [problem.sheet, _("baris %(row)s") % {"row": problem.row} if problem.row else "",
             _("kolom %(column)s") % {"column": problem.column} if problem.column else ""]
    place = ", ".join(w for w in where if w)
    message = translate(problem.message, _)
    return f"{place}: {message}" if place else message


@access(staff)
def questionnaire_list(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(units_for(request.user).select_related("institution"), pk=unit_pk)
    can_edit = can_edit_unit(request.user, unit)
    form = UploadForm(request.POST or None, request.FILES or None) if can_edit else None
    problems: list[str] = []
    if form is not None and request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > xlsform.MAX_BYTES:
                raise xlsform.XlsFormError([xlsform.Problem("", 0, "", _("Berkas lebih besar dari 5 MB."))])
            parsed = xlsform.read(upload.file)
            version = services.version_save(actor=request.user, unit=unit,
                                            document=questionnaires.to_document(parsed))
        except xlsform.XlsFormError as exc:
            problems = [_shown(p) for p in exc.problems]
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(request, _("Kuesioner %(title)s tersimpan sebagai versi %(n)d.") % {
                "title": version.questionnaire.title, "n": version.number})
            return redirect("survey_manage:questionnaires", unit_pk=unit.pk)
    services.builtin_versions()
    rows = (QuestionnaireVersion.objects.filter(questionnaire__in=Questionnaire.objects.filter(unit=None))
            | QuestionnaireVersion.objects.filter(questionnaire__unit=unit))
    versions = list(rows.select_related("questionnaire").order_by("questionnaire__unit_id", "questionnaire__title",
                                                                    "-number")[:200])
    return render(request, "surveys/manage/questionnaires.html", {
        "unit": unit, "form": form, "problems": problems, "versions": versions, "can_edit": can_edit,
    }, status=422 if problems or (form is not None and form.errors) else 200)


@access(staff)
def version_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
    owner = version.questionnaire.unit_id
    if owner is not None and not units_for(request.user).filter(pk=owner).exists():
        raise Http404
    response = HttpResponse(xlsform.write(version.parsed), content_type=XLSX)
    name = f"{version.questionnaire.slug}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
