from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pantau.core"
    label = "core"
    verbose_name = "Pantau core"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        import pantau.core.checks  # noqa: F401 - registers the deployment checks
        from pantau.core import hooks

        hooks.not_audited("core.auditevent")
        hooks.nav_item(hooks.NavItem("core:audit", _("Jejak audit"), order=60, rule=hooks.can_read_audit))
