from django.urls import path

from pantau.complaints import letters
from pantau.complaints import views_letters as v

app_name = "complaint_docs"
urlpatterns = [
    path("kelola/laporan/ekspor.csv", v.export_csv, name="export_csv"),
    path("kelola/laporan/ekspor.xlsx", v.export_xlsx, name="export_xlsx"),
    path("kelola/laporan/<id:pk>/lahp.pdf", v.letter, {"kind": letters.LAHP}, name="lahp"),
    path("kelola/laporan/<id:pk>/permintaan-klarifikasi.pdf", v.letter, {"kind": letters.CLARIFICATION},
         name="clarification"),
]
