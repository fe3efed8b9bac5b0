from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhibao.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        # Each app's tasks.py registers its @periodic jobs on import.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
