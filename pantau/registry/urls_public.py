from django.urls import path

from pantau.registry import views_board
from pantau.registry import views_public as v

app_name = "public"
urlpatterns = [
    path("", v.home, name="home"),
    path("layanan/", v.search, name="search"),
    path("layanan/<int:pk>/", v.product, name="product"),
    path("layanan/<int:pk>/papan.pdf", views_board.board, name="board"),
    path("instansi/<int:pk>/", v.institution, name="institution"),
    path("bantuan/", v.help_page, name="help"),
    path("l/<int:pk>", v.product_redirect, name="product_short"),
]
