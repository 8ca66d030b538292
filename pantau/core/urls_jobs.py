from django.urls import path

from pantau.core import job_views

app_name = "jobs"
urlpatterns = [
    path("", job_views.job_list, name="list"),
    path("<id:job_id>/", job_views.job_detail, name="detail"),
    path("<id:job_id>/unduh/", job_views.job_download, name="download"),
]
