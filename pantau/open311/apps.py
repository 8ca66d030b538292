from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "pantau.open311"
    label = "open311"
    verbose_name = "Open311 GeoReport v2"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from pantau.core import hooks

        hooks.audited(hooks.AuditedType("open311.apiclient", label=_("Klien Open311")))
        hooks.event_types("open311.client_issued", "open311.client_revoked")
        # A submission is written with its case, whose opening is audited ("case.opened").
        hooks.not_audited("open311.submission")
        from django.db.models.signals import post_delete, post_save

        post_save.connect(forget_requests, sender="complaints.Case", dispatch_uid="open311-requests-saved")
        post_delete.connect(forget_requests, sender="complaints.Case", dispatch_uid="open311-requests-deleted")


def forget_requests(**kwargs: object) -> None:
    """Any saved case (opened, moved on, made more private) makes the kept ``GET requests`` answers stale."""
    from pantau.core import cachegen
    from pantau.open311.views import GENERATION

    cachegen.forget_after_commit([GENERATION])
