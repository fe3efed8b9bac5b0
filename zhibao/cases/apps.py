from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhibao.cases"
    verbose_name = "案件（一站式维权）"

    def ready(self) -> None:
        from zhibao.accounts.services import TOKEN_SCOPES
        from zhibao.cases import dashboard  # noqa: F401 - registers the 工作台 cards

        TOKEN_SCOPES.update({
            "cases:read": "读取案件、期限与队列",
            "cases:write": "投诉立案、办理案件（受理、调查、决定、转换渠道）",
        })
