from django.urls import path

from pantau.assessments import views_instrument as i
from pantau.assessments import views_work as v

app_name = "assessment_work"
urlpatterns = [
    path("", v.work, name="work_list"),
    path("sw.js", i.service_worker, name="service_worker"),
    path("unit/<id:pk>/", i.unit, name="unit"),
    path("unit/<id:pk>/sinkron/", i.sync, name="sync"),
    path("unit/<id:pk>/bukti/", i.evidence_upload, name="evidence_upload"),
    path("unit/<id:pk>/ajukan/", i.submit, name="submit"),
    path("bukti/<id:pk>/", i.evidence_file, name="evidence_file"),
    path("bukti/<id:pk>/hapus/", i.evidence_remove, name="evidence_remove"),
]
