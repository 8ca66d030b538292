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
        from pantau.accounts import rules as r

        hooks.nav_item(hooks.NavItem("open311_manage:list", _("Kunci Open311"), order=55, rule=r.is_national_admin))
