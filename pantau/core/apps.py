from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pantau.core"
    label = "core"
    verbose_name = "Pantau core"

    def ready(self) -> None:
        from pantau.core import checks  # noqa: F401 - registers the deployment checks
