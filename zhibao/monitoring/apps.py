from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Infringement monitoring and early warning (预警与监测): watch lists, screenings, alerts, risk reports."""

    name = "zhibao.monitoring"
    label = "monitoring"
    verbose_name = "预警监测"

    def ready(self) -> None:
        # API token scopes of this app, registered where the app lives (as takedown does)
        from zhibao.accounts.services import TOKEN_SCOPES
        from zhibao.monitoring import dashboard  # noqa: F401 - registers the 工作台 cards

        TOKEN_SCOPES.update({
            "monitoring:read": "读取监测清单与预警",
            "monitoring:write": "提交监测条目、处理预警",
        })
