from django.apps import AppConfig


class FairsConfig(AppConfig):
    name = "zhibao.fairs"
    verbose_name = "展会知识产权保护"

    def ready(self) -> None:
        # The app's token scopes join the shared table here, so accounts need not know every app.
        from zhibao.accounts.services import TOKEN_SCOPES

        TOKEN_SCOPES.update({
            "fairs:read": "展会：查看参展商、展品报备与承诺",
            "fairs:complaints": "展会投诉：提交、查看与处理现场投诉",
        })
