from django.urls import path

from pantau.assessments import views_self as v

app_name = "self_assessment"
urlpatterns = [
    path("", v.periods, name="list"),
    path("baru/", v.start, name="start"),
    path("<id:pk>/", v.summary, name="summary"),
]
