"""``{% load complaint_stats %}``: ``{% may_see_stats as flag %}`` says whether the signed-in user may open the
SLA dashboard and the statistics (``stats.may_see_stats``), for the links on the complaint queue."""

from __future__ import annotations

from typing import Any

from django import template

from pantau.complaints import stats

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_stats(context: Any) -> bool:
    request = context.get("request")
    return request is not None and stats.may_see_stats(request.user)
