from django.urls import path

from pantau.assessments import views_periods as v
from pantau.assessments import views_periods_response as resp
from pantau.assessments import views_periods_work as w

app_name = "assessment_periods"
urlpatterns = [
    path("", v.period_list, name="list"),
    path("baru/", v.period_new, name="new"),
    path("baru/instansi/", v.institution_search, name="institution_search"),
    path("<id:pk>/", v.period_detail, name="detail"),
    path("<id:pk>/langkah/", v.period_step, name="step"),
    path("<id:pk>/instansi/<id:institution_pk>/", w.sample, name="sample"),
    path("<id:pk>/hasil/", resp.results, name="results"),
    path("<id:pk>/koreksi/", w.correct, name="correct"),
    path("unit/<id:pk>/", w.unit, name="unit"),
    path("unit/<id:pk>/tugaskan/", w.unit_assign, name="unit_assign"),
    path("unit/<id:pk>/ajukan/", w.unit_submit, name="unit_submit"),
    path("unit/<id:pk>/setujui/", w.unit_approve, name="unit_approve"),
    path("unit/<id:pk>/kembalikan/", w.unit_return, name="unit_return"),
    path("unit/<id:pk>/jawaban/", resp.unit_answers, name="unit_answers"),
    path("jawaban/<id:pk>/keberatan/", resp.contest_new, name="contest_new"),
    path("keberatan/<id:pk>/", resp.contest_decide, name="contest"),
]
