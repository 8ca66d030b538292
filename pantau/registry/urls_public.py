from django.urls import path

from pantau.registry import views_board, views_map
from pantau.registry import views_public as v

app_name = "public"
urlpatterns = [
    path("", v.home, name="home"),
    path("layanan/", v.search, name="search"),
    path("layanan/<id:pk>/", v.product, name="product"),
    path("layanan/<id:pk>/papan.pdf", views_board.board, name="board"),
    path("instansi/<id:pk>/", v.institution, name="institution"),
    path("bantuan/", v.help_page, name="help"),
    path("l/<id:pk>", v.product_redirect, name="product_short"),
    path("peta/provinsi.json", views_map.provinces, name="map_provinces"),
    path("peta/provinsi/<str:code>.json", views_map.regencies, name="map_regencies"),
    path("peta/kelengkapan.json", views_map.completeness, name="map_completeness"),
]
