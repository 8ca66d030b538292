from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pantau.accounts"
    label = "accounts"
    verbose_name = "Akun"
