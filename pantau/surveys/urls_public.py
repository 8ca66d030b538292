from django.urls import path

from pantau.surveys import views_public as v

app_name = "surveys"
urlpatterns = [
    path("unit/<id:pk>/", v.unit_results, name="unit_results"),
    path("unit/<id:pk>/laporan/<id:campaign_pk>.pdf", v.unit_report, name="unit_report"),
    path("instansi/<id:pk>/", v.institution_results, name="institution_results"),
    path("instansi/<id:pk>/laporan/<id:campaign_pk>.pdf", v.institution_report, name="institution_report"),
    path("<str:token>/", v.form, name="form"),
    path("<str:token>/simpan/", v.save_partial, name="save_partial"),
    path("<str:token>/terima-kasih/", v.thanks, name="thanks"),
]
