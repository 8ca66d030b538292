from django.urls import path

from pantau.complaints import views_public as v

app_name = "complaints"
urlpatterns = [
    path("", v.report, name="report"),
    path("terkirim/", v.filed, name="filed"),
    path("lacak/", v.track_help, name="track_help"),
    path("lacak/<str:token>/", v.track, name="track"),
]
