"""Downloads of complaint attachments: staff through the case they may see, the reporter through the
secret tracking link. Always as a download (never rendered inline), never cached by a shared cache."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from pantau.accounts import rules as r
from pantau.complaints import files, selectors
from pantau.core.access import PUBLIC, access


def _response(handle: object, name: str, content_type: str) -> FileResponse:
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@access(r.is_office_staff | r.is_provider_staff)
def staff_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    case = selectors.case_for(request.user, pk)
    handle, item = files.open_for_staff(request.user, case, attachment_pk)
    return _response(handle, item.name, item.content_type)


@require_GET
@access(PUBLIC)
def reporter_download(request: HttpRequest, token: str, attachment_pk: int) -> FileResponse:
    case = selectors.case_by_token(token)
    handle, item = files.open_for_reporter(case, attachment_pk)
    return _response(handle, item.name, item.content_type)
