from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "pantau.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"

    def ready(self) -> None:
        from pantau.complaints import hooks

        hooks.register()
