from django.contrib import admin
from django.urls import include, path

from pantau.api import api
from pantau.core import converters  # noqa: F401 - registers <id:…> before the included URLconfs load
from pantau.core import views as core_views

urlpatterns = [
    path("", include("pantau.registry.urls_public", namespace="public")),
    path("metodologi/", include("pantau.assessments.urls_public", namespace="assessments")),
    path("penilaian/", include("pantau.assessments.urls_results", namespace="results")),
    path("kelola/audit/", include("pantau.core.urls", namespace="core")),
    path("kelola/tugas/", include("pantau.core.urls_jobs", namespace="jobs")),
    path("kelola/penilaian/periode/", include("pantau.assessments.urls_periods", namespace="assessment_periods")),
    path("kelola/penilaian/mandiri/", include("pantau.assessments.urls_self", namespace="self_assessment")),
    path("kelola/penilaian/", include("pantau.assessments.urls_work", namespace="assessment_work")),
    path("kelola/survei/", include("pantau.surveys.urls_manage", namespace="survey_manage")),
    path("survei/", include("pantau.surveys.urls_public", namespace="surveys")),
    path("", include("pantau.complaints.urls_files", namespace="complaint_files")),
    path("", include("pantau.complaints.urls_letters", namespace="complaint_docs")),
    path("kelola/laporan/", include("pantau.complaints.urls_manage", namespace="complaint_manage")),
    path("lapor/", include("pantau.complaints.urls_public", namespace="complaints")),
    path("open311/v2/", include("pantau.open311.urls", namespace="open311")),
    path("", include("pantau.open311.urls_manage", namespace="open311_manage")),
    path("kelola/", include("pantau.registry.urls_manage", namespace="manage")),
    path("akun/", include("pantau.accounts.urls", namespace="accounts")),
    path("api/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("bahasa/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler404 = "pantau.core.errors_views.not_found"
handler500 = "pantau.core.errors_views.server_error"
