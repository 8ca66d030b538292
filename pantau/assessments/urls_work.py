from django.urls import path

from pantau.assessments import views_work as v

app_name = "assessment_work"
urlpatterns = [
    path("", v.work, name="work_list"),
    path("unit/<id:pk>/", v.unit, name="unit"),
]
