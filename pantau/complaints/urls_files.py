from django.urls import path

from pantau.complaints import views_files as v

app_name = "complaint_files"
urlpatterns = [
    path("kelola/laporan/<id:pk>/lampiran/<id:attachment_pk>/", v.staff_download, name="staff"),
    path("lapor/berkas/<str:token>/<id:attachment_pk>/", v.reporter_download, name="reporter"),
]
