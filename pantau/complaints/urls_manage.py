from django.urls import path

from pantau.complaints import duplicates
from pantau.complaints import views_case as c
from pantau.complaints import views_manage as v
from pantau.complaints import views_stats as st

app_name = "complaint_manage"
urlpatterns = [
    path("", v.case_list, name="list"),
    path("baru/", v.case_new, name="new"),
    path("saringan/", v.saved_queue_save, name="saved_queue_save"),
    path("saringan/<id:pk>/hapus/", v.saved_queue_delete, name="saved_queue_delete"),
    path("sla/", st.sla_dashboard, name="sla"),
    path("statistik/", st.statistics_page, name="stats"),
    path("statistik.csv", st.statistics_export, {"fmt": "csv"}, name="stats_csv"),
    path("statistik.xlsx", st.statistics_export, {"fmt": "xlsx"}, name="stats_xlsx"),
    path("<id:pk>/", c.case_detail, name="case"),
    path("<id:pk>/identitas/", c.case_identity, name="identity"),
    path("<id:pk>/aksi/<slug:action>/", c.case_act, name="act"),
    path("<id:pk>/verifikasi/", c.case_checks, name="checks"),
    path("<id:pk>/kesimpulan/", c.case_conclusion, name="conclusion"),
    path("<id:pk>/klasifikasi/", c.case_classify, name="classify"),
    path("<id:pk>/penugasan/", c.case_assign, name="assign"),
    path("<id:pk>/pelimpahan/", c.case_hand_over, name="hand_over"),
    path("<id:pk>/kerahasiaan/", c.case_visibility, name="visibility"),
    path("<id:pk>/tuntutan/<id:demand_pk>/jawab/", c.demand_answer, name="demand_answer"),
    path("<id:pk>/tuntutan/<id:demand_pk>/nilai/", c.demand_assess, name="demand_assess"),
    path("<id:pk>/ganda/", duplicates.link_view, name="duplicate_link"),
    path("<id:pk>/ganda/lepas/", duplicates.unlink_view, name="duplicate_unlink"),
]
