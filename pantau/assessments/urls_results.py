from django.urls import path

from pantau.assessments import views_export
from pantau.assessments import views_results as v

app_name = "results"
urlpatterns = [
    path("", v.index, name="index"),
    path("<id:year>/", v.period_page, name="period"),
    path("<id:year>/instansi/<id:pk>/", v.institution_page, name="institution"),
    path("<id:year>/instansi/<id:pk>/unit/<id:unit>/", v.unit_page, name="unit"),
    path("<id:year>/instansi/<id:pk>/rapor.pdf", v.rapor_pdf, name="rapor"),
    path("periode/<id:pk>/ekspor/", views_export.export, name="export"),
]
