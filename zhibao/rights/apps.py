from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "zhibao.rights"
    label = "rights"
    verbose_name = "权利登记"
