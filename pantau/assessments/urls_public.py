from django.urls import path

from pantau.assessments import views_public as v

app_name = "assessments"
urlpatterns = [
    path("", v.methodologies, name="methodologies"),
    path("<slug:slug>/<str:version>/", v.methodology_version, name="methodology_version"),
]
