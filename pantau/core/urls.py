from django.urls import path

from pantau.core import audit_views

app_name = "core"
urlpatterns = [
    path("", audit_views.audit_list, name="audit"),
    path("csv/", audit_views.audit_export, name="audit_export"),
    path("saran/instansi/", audit_views.audit_institutions, name="audit_institutions"),
    path("saran/pelaku/", audit_views.audit_actors, name="audit_actors"),
]
