"""``/open311/v2/``: the format is the path's extension (``services.xml``, ``requests/12.json``)."""

from django.urls import re_path

from pantau.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})"
urlpatterns = [
    re_path(rf"^discovery{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}$", views.services, name="services"),
    re_path(rf"^services/(?P<code>[^/]{{1,100}}){FMT}$", views.service, name="service"),
    re_path(rf"^requests{FMT}$", views.service_requests, name="requests"),
    re_path(rf"^requests/(?P<ident>[^/]{{1,100}}){FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]{{1,100}}){FMT}$", views.token, name="token"),
    # Anything else under /open311/v2/ answers the spec's 404 (XML unless the path ends in .json).
    re_path(r"^(?P<rest>.*?)(?:\.(?P<fmt>json|xml))?$", views.unknown),
]
