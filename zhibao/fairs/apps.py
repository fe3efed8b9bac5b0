from django.apps import AppConfig


class FairsConfig(AppConfig):
    name = "zhibao.fairs"
    verbose_name = "展会知识产权保护"
