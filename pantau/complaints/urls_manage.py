from django.urls import path

from pantau.complaints import views_case as c
from pantau.complaints import views_manage as v

app_name = "complaint_manage"
urlpatterns = [
    path("", v.case_list, name="list"),
    path("baru/", v.case_new, name="new"),
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
]
