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


class DepositForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, help_text="例如：仿冒商贸网店商品页截图（2026-11-25）")
    files = MultipleFileField(label="证据文件", required=False, help_text="可多选；可执行程序会被拒绝")
    source_url = forms.URLField(label="或：网页取证网址", required=False, max_length=1000,
                                help_text="由平台以无头浏览器打开并截取整页截图、HTML 与响应头后一并存证")
    statement = forms.CharField(label="文字声明/说明", required=False, widget=forms.Textarea)


class VerifyForm(forms.Form):
    file = forms.FileField(label="上传文件核验", required=False)
    sha256 = forms.CharField(label="或输入 SHA-256", max_length=64, required=False)
    deposit_no = forms.CharField(label="存证编号（可选，用于比对）", max_length=32, required=False)
