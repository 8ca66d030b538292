from django.urls import URLPattern

app_name = "self_assessment"
urlpatterns: list[URLPattern] = []
