from django.urls import path

from pantau.core import views as core_views
from pantau.registry import views_manage as v
from pantau.registry import views_transfer as t

app_name = "manage"
urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),  # the modules' panels (hooks.dashboard_panel)
    path("instansi/", v.institutions, name="institutions"),
    path("instansi/baru/", v.institution_edit, name="institution_new"),
    path("instansi/<id:pk>/", v.institution_detail, name="institution"),
    path("instansi/<id:pk>/ubah/", v.institution_edit, name="institution_edit"),
    path("instansi/<id:pk>/komponen/<slug:code>/", v.institution_component, name="institution_component"),
    path("instansi/<id:institution_pk>/unit/baru/", v.unit_new, name="unit_new"),
    path("instansi/<id:institution_pk>/perubahan-unit/", v.unit_event, name="unit_event"),
    path("unit/<id:pk>/", v.unit_detail, name="unit"),
    path("unit/<id:unit_pk>/produk/baru/", v.product_new, name="product_new"),
    path("produk/<id:pk>/", v.product_detail, name="product"),
    path("produk/<id:pk>/standar/", v.standard_edit, name="standard_edit"),
    path("impor/", t.import_page, name="import"),
    path("impor/templat.xlsx", t.import_template, name="import_template"),
    path("ekspor.xlsx", t.export, name="export"),
]
