"""Forms for the takedown pages; services do the real validation (errors come back onto the form)."""

from __future__ import annotations

from django import forms

from zhibao.takedown.models import NoticeItem


class NoticeForm(forms.Form):
    platform = forms.ChoiceField(label="平台")
    notifier = forms.ChoiceField(label="权利人（通知人）")
    rights = forms.MultipleChoiceField(label="依据的权利", widget=forms.CheckboxSelectMultiple)
    goods_class = forms.IntegerField(label="商品所属尼斯分类", required=False, min_value=1, max_value=45,
                                     help_text="依据商标发出通知时必填，须在商标核定类别内")
    listings = forms.CharField(
        label="商品（每行一个，最多 300 个）", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="商品编号 | 链接 | 标题 | 经营者统一社会信用代码或名称；只有商品编号与标题为必填")
    statement = forms.CharField(label="侵权初步证据说明及真实性承诺", widget=forms.Textarea(attrs={"rows": 4}))
    deposit_nos = forms.CharField(label="已有存证编号（逗号分隔）", required=False)
    capture_url = forms.URLField(label="取证：抓取商品页面并存证", required=False, max_length=1000,
                                 help_text="平台以无头浏览器截取整页并写入存证账本，存证编号自动附在通知上")
    kind = forms.ChoiceField(label="类型", choices=[("standard", "普通通知"), ("live", "直播通知（分钟级时限）")])

    def __init__(self, *args, platforms=(), notifiers=(), rights=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = list(platforms)
        self.fields["notifier"].choices = list(notifiers)
        self.fields["rights"].choices = list(rights)

    def listing_rows(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["listings"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            parts += [""] * (4 - len(parts))
            seller = parts[3]
            is_code = len(seller) == 18 and seller.isalnum()
            rows.append({"listing_id": parts[0], "url": parts[1], "title": parts[2],
                         "seller_uscc": seller.upper() if is_code else "", "seller_name": "" if is_code else seller})
        return rows


def initial_from_alert(draft: dict) -> dict:
    """NoticeForm initial values from a monitoring alert's draft: the notifier and right, the listing line
    (listing id | link | title | seller), the goods class, a statement citing the comparison, and the deposit."""
    details = draft.get("details") or {}
    seller = draft.get("respondent_uscc") or draft.get("respondent") or ""
    link = draft["reference"] if str(draft.get("reference", "")).startswith(("http://", "https://")) else ""
    line = " | ".join([str(details.get("listing_id") or ""), link, draft["name"], seller])
    goods_class = None
    if draft.get("right_type") == "trademark":
        shared = [c for c in draft.get("nice_classes") or [] if c in draft.get("right_nice_classes") or []]
        goods_class = (shared or draft.get("right_nice_classes") or [None])[0]
    number = f"（{draft['right_number']}）" if draft.get("right_number") else ""
    statement = (f"经监测发现，{draft['source_label']}「{draft['name']}」使用了与本方{draft['right_type_label']}"
                 f"「{draft['right_title']}」{number}相同或近似的标识，未经许可：{'；'.join(draft.get('reasons') or [])}。")
    if draft.get("deposit_no"):
        statement += f"比对说明及页面已存证，存证编号 {draft['deposit_no']}。"
    statement += "通知人承诺通知内容真实，错误通知依法承担责任。"
    initial = {"notifier": draft["notifier_id"], "rights": [draft["right_id"]], "listings": line,
               "statement": statement, "deposit_nos": draft.get("deposit_no") or "", "goods_class": goods_class}
    if details.get("platform_id"):
        initial["platform"] = details["platform_id"]
    return initial


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(label="措施", choices=NoticeItem.Measure.choices)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CounterForm(forms.Form):
    statement = forms.CharField(label="不侵权声明（含不存在侵权行为的初步证据说明）", widget=forms.Textarea(attrs={"rows": 4}))
    deposit_nos = forms.CharField(label="证据存证编号（逗号分隔）")


class ProceedingForm(forms.Form):
    case_number = forms.CharField(label="知保案件编号（已受理）", required=False)
    reference = forms.CharField(label="或：法院案号/行政机关受理编号", required=False)
    authority = forms.CharField(label="受理机关", required=False)
    document = forms.FileField(label="受理通知书（PDF/图片）", required=False)


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20)
    reason = forms.CharField(label="需公证、认证的事项")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
    wilful = forms.BooleanField(label="明知虚假（恶意）", required=False)


def split_numbers(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]


class PlatformForm(forms.Form):
    name = forms.CharField(label="平台名称", max_length=100)
    sla_hours = forms.IntegerField(label="首次措施时限（小时）", initial=24)
    fast_lane_hours = forms.IntegerField(label="善意快速通道时限（小时）", initial=2)
    live_sla_minutes = forms.IntegerField(label="直播通知时限（分钟）", initial=30)
    oncall = forms.ChoiceField(label="值班联系人", required=False)
    webhook_url = forms.URLField(label="新通知回调地址", required=False)
    webhook_secret = forms.CharField(label="回调签名密钥（留空不修改）", required=False,
                                     widget=forms.PasswordInput(render_value=False))

    def __init__(self, *args, operators=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["oncall"].choices = [("", "（未设置）")] + list(operators)
