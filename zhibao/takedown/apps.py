from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "zhibao.takedown"
    verbose_name = "电商通知-删除"

    def ready(self) -> None:
        # The app's token scopes join the shared table here, so accounts need not know every app.
        from zhibao.accounts.services import TOKEN_SCOPES
        from zhibao.takedown import dashboard  # noqa: F401 - registers the 工作台 cards

        TOKEN_SCOPES.update({
            "takedown:notices": "电商通知：发出通知、查看处理进展、提交投诉/起诉材料",
            "takedown:platform": "电商平台：拉取通知队列、登记商品、提交措施与送达回执",
            "takedown:seller": "平台内经营者：提交不侵权声明",
        })
