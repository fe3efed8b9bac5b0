from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhibao.orgs"
    label = "orgs"
    verbose_name = "市场主体"
