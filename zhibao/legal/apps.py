from django.apps import AppConfig


class LegalConfig(AppConfig):
    """The law engine's front: API, pages and CLI over the pure ``zhibao.law`` library."""

    name = "zhibao.legal"
    label = "legal"
    verbose_name = "法律计算"
