from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "zhibao.takedown"
    verbose_name = "电商通知-删除"
