from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "pantau.assessments"
    label = "assessments"
    verbose_name = "Penilaian kepatuhan"

    def ready(self) -> None:
        from pantau.assessments import hooks

        hooks.register()
