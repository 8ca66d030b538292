from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "pantau.surveys"
    label = "surveys"
    verbose_name = "Survei"

    def ready(self) -> None:
        from pantau.surveys import hooks

        hooks.register()
