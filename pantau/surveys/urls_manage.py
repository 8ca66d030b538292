from django.urls import path

from pantau.surveys import views_follow_up as f
from pantau.surveys import views_manage as v
from pantau.surveys import views_paper as p
from pantau.surveys import views_questionnaires as q

app_name = "survey_manage"
urlpatterns = [
    path("", v.campaign_list, name="list"),
    path("unit/<id:unit_pk>/baru/", v.campaign_new, name="new"),
    path("instansi/<id:institution_pk>/baru/", v.campaign_new_institution, name="new_institution"),
    path("unit/<id:unit_pk>/kuesioner/", q.questionnaire_list, name="questionnaires"),
    path("kuesioner/<id:pk>/xlsform.xlsx", q.version_xlsform, name="version_xlsform"),
    path("<id:pk>/", v.campaign_detail, name="detail"),
    path("<id:pk>/ubah/", v.campaign_edit, name="edit"),
    path("<id:pk>/status/", v.campaign_state, name="state"),
    path("<id:pk>/poster.pdf", v.campaign_poster, name="poster"),
    path("<id:pk>/jawaban.csv", v.campaign_export, name="export"),
    path("<id:pk>/jawaban-xlsx/", v.campaign_export_xlsx, name="export_xlsx"),
    path("<id:pk>/laporan.pdf", v.campaign_report, name="report"),
    path("<id:pk>/kertas/", p.paper_entry, name="paper"),
    path("<id:pk>/impor/", p.import_page, name="import"),
    path("<id:pk>/tindak-lanjut/baru/", f.follow_up_edit, name="follow_up_new"),
    path("<id:pk>/tindak-lanjut/<id:item_pk>/", f.follow_up_edit, name="follow_up"),
]
