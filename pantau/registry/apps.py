from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "pantau.registry"
    label = "registry"
    verbose_name = "Registri penyelenggara"

    def ready(self) -> None:
        from pantau.registry import hooks, search_docs, signals, tasks

        signals.connect()
        tasks.connect()  # boards rendered after each change that they show
        hooks.register()
        search_docs.register()  # products, units, institutions in the search index, kept on write
