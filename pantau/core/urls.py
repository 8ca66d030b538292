from django.urls import path

from pantau.core import audit_views

app_name = "core"
urlpatterns = [
    path("", audit_views.audit_list, name="audit"),
    path("csv/", audit_views.audit_export, name="audit_export"),
]
