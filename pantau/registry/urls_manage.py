from django.urls import path

from pantau.core import views as core_views
from pantau.registry import views_manage as v
from pantau.registry import views_transfer as t
from pantau.registry import views_units as u

app_name = "manage"
urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),  # the modules' panels (hooks.dashboard_panel)
    path("instansi/", v.institutions, name="institutions"),
    path("instansi/baru/", v.institution_edit, name="institution_new"),
    path("instansi/<id:pk>/", v.institution_detail, name="institution"),
    path("instansi/<id:pk>/ubah/", v.institution_edit, name="institution_edit"),
    path("instansi/<id:pk>/komponen/<slug:code>/", v.institution_component, name="institution_component"),
    path("instansi/<id:institution_pk>/unit/baru/", v.unit_new, name="unit_new"),
    path("instansi/<id:institution_pk>/perubahan-unit/", u.unit_event, name="unit_event"),
    path("perubahan-unit/<id:pk>/koreksi/", u.unit_event_correct, name="unit_event_correct"),
    path("perubahan-unit/<id:pk>/batalkan/", u.unit_event_undo, name="unit_event_undo"),
    path("unit/<id:pk>/", v.unit_detail, name="unit"),
    path("unit/<id:unit_pk>/produk/baru/", v.product_new, name="product_new"),
    path("produk/<id:pk>/", v.product_detail, name="product"),
    path("produk/<id:pk>/ubah/", v.product_edit, name="product_edit"),
    path("produk/<id:pk>/status/", v.product_status, name="product_status"),
    path("produk/<id:pk>/standar/", v.standard_edit, name="standard_edit"),
    path("impor/", t.import_page, name="import"),
    path("impor/templat.xlsx", t.import_template, name="import_template"),
    path("ekspor.xlsx", t.export, name="export"),
]
