from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # noqa: ANN001, ANN201
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _category_choices() -> list[tuple[str, str]]:
    from zhibao.evidence.checklists import category_choices

    return [("", "（未指定）")] + category_choices()


class DepositForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, help_text="例如：仿冒商贸网店商品页截图（2026-11-25）")
    category = forms.ChoiceField(label="证明内容", required=False, choices=_category_choices,
                                 help_text="说明这份证据证明什么，各维权渠道的证据清单据此提示缺少的材料")
    files = MultipleFileField(label="证据文件", required=False, help_text="可多选；可执行程序会被拒绝")
    source_url = forms.URLField(label="或：网页取证网址", required=False, max_length=1000,
                                help_text="由平台以无头浏览器打开并截取整页截图、HTML 与响应头后一并存证")
    statement = forms.CharField(label="文字声明/说明", required=False, widget=forms.Textarea)


class VerifyForm(forms.Form):
    file = forms.FileField(label="上传文件核验", required=False)
    sha256 = forms.CharField(label="或输入 SHA-256", max_length=64, required=False)
    deposit_no = forms.CharField(label="存证编号（可选，用于比对）", max_length=32, required=False)


class ChecklistForm(forms.Form):
    channel = forms.ChoiceField(label="维权渠道", choices=())
    deposits = forms.MultipleChoiceField(label="已有存证", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, channels=(), deposits=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = list(channels)
        self.fields["deposits"].choices = list(deposits)
