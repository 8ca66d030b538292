from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pantau.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from pantau.accounts import hooks

        hooks.register()
