"""User-facing messages of the pure survey modules, translatable later. Pure: no Django.

The pure modules (``xlsform``, ``questionnaires``, ``expressions``, ``indices``, ``responses_csv``)
cannot call Django's ``gettext``: they build each message with ``gettext_noop(template, **params)``,
which gives a ``Message``, a ``str`` holding the Indonesian text (what ``str()``, exceptions, the
command line and the tests see) that keeps its template and parameters. The module that shows the
message to a user passes it through ``translate(text, gettext)`` with Django's ``gettext``.

The function is named ``gettext_noop`` so that ``makemessages`` (xgettext) extracts the templates
into the catalogue. Templates use named placeholders only (``%(name)s``), a literal ``%`` written
``%%``. A parameter may itself be a ``Message`` (translated with the message that holds it), or a
list or tuple of texts and messages (each translated, then joined with ", "). A message is never
built by joining others with ``+`` or ``str.join``: that would give a plain ``str``, which is
shown as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

# A %-directive as gettext's python-format sees it (also the one the catalogue test checks).
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGco%]")
SEPARATOR = ", "


class Message(str):
    """The Indonesian text of ``template % params``; ``template`` and ``params`` are kept for ``translate``."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        values = dict(params or {})
        text = template % {k: _value(v, None) for k, v in values.items()} if params is not None else template
        message = super().__new__(cls, text)
        message.template, message.params = template, values
        return message

    def __reduce__(self) -> tuple[type[Message], tuple[str, dict[str, object]]]:  # for pickle and copy
        return (Message, (self.template, self.params))


def gettext_noop(template: str, /, **params: object) -> Message:
    """The message of ``template`` (Indonesian, named placeholders) filled with ``params``."""
    return Message(template, params)


def _value(value: object, gettext: Callable[[str], str] | None) -> object:
    if isinstance(value, list | tuple):
        return SEPARATOR.join(str(_value(v, gettext)) for v in value)
    if gettext is not None and isinstance(value, Message):
        return translate(value, gettext)
    return value


def translate(text: str, gettext: Callable[[str], str]) -> str:
    """``text`` in the language of ``gettext``: for a ``Message`` its translated template filled with
    its (translated) parameters; a plain ``str`` unchanged. The Indonesian text when the
    translation's placeholders are not the template's or it cannot be filled."""
    if not isinstance(text, Message):
        return text
    indonesian = str(text)
    translated = gettext(text.template)
    if Counter(_PLACEHOLDER.findall(translated)) != Counter(_PLACEHOLDER.findall(text.template)):
        return indonesian
    try:
        return translated % {k: _value(v, gettext) for k, v in text.params.items()}
    except (KeyError, ValueError, TypeError):
        return indonesian
