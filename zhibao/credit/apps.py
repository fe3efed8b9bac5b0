from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhibao.credit"
    verbose_name = "信用监管"

    def ready(self) -> None:
        # The app's token scope joins the shared table here, so accounts need not know every app.
        from zhibao.accounts.services import TOKEN_SCOPES
        from zhibao.credit import dashboard  # noqa: F401 - registers the 工作台 cards

        TOKEN_SCOPES.update({
            "credit:check": "联合惩戒核查：按统一社会信用代码查询限制措施（每次查询留痕）",
            "credit:write": "信用管理：记录信用信息、办理列入与修复",
        })
