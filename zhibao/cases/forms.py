"""Forms of the case pages: intake (draft or file), handling, channel switch, decision, clock, filters."""

from __future__ import annotations

from django import forms

from zhibao.cases.events import ACTIONS
from zhibao.cases.intake import PLACE_TYPES
from zhibao.cases.models import Channel, Status

ACT_LABELS = {"counterfeit_mark": "假冒注册商标", "sell_counterfeit": "销售假冒注册商标的商品",
              "copyright_infringement": "侵犯著作权", "trade_secret": "侵犯商业秘密",
              "patent_passing_off": "假冒专利", "patent_infringement": "专利侵权"}
ACT_CHOICES = [("", "（请选择）")] + list(ACT_LABELS.items())


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data, initial=None):  # noqa: ANN001, ANN201
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiFileField, self).clean(f, initial) for f in files]


class IntakeForm(forms.Form):
    complainant = forms.TypedChoiceField(label="投诉人", coerce=int)
    rights = forms.TypedMultipleChoiceField(label="被侵害的权利", coerce=int, widget=forms.CheckboxSelectMultiple,
                                            required=False)
    title = forms.CharField(label="案由", max_length=200, required=False)
    respondent_uscc = forms.CharField(label="被投诉人统一社会信用代码", max_length=18, required=False)
    respondent_name = forms.CharField(label="被投诉人名称", max_length=200, required=False)
    respondent_shop_url = forms.URLField(label="网店地址", required=False, assume_scheme="https")
    respondent_address = forms.CharField(label="地址", max_length=300, required=False)
    act = forms.ChoiceField(label="侵权行为", choices=ACT_CHOICES, required=False)
    place_type = forms.ChoiceField(label="侵权地点类型", choices=list(PLACE_TYPES.items()), required=False)
    place = forms.CharField(label="侵权地点（网址/地址/展位/口岸）", max_length=300, required=False)
    facts = forms.CharField(label="侵权事实", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    remedy_stop = forms.BooleanField(label="请求停止侵权", required=False, initial=True)
    remedy_apology = forms.BooleanField(label="请求赔礼道歉", required=False)
    damages_claimed = forms.DecimalField(label="请求赔偿金额（元）", min_value=0, max_digits=16, decimal_places=2,
                                         required=False)
    preferred_channel = forms.ChoiceField(label="希望的解决渠道", required=False,
                                          choices=[("", "由平台分流建议")] + list(Channel.choices))
    both_willing_to_mediate = forms.BooleanField(label="双方均愿意调解", required=False)
    deposit_nos = forms.CharField(label="引用已有存证编号（每行一个）", widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False)
    files = MultiFileField(label="上传证据文件（将自动存证）", required=False)
    join = forms.BooleanField(label="已有相同案件时加入该案件", required=False)

    def __init__(self, *args, complainants: list, rights: list, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["complainant"].choices = complainants
        self.fields["rights"].choices = rights

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        acts = [{"act": d["act"], "place_type": d["place_type"] or "online", "place": d["place"]}] if d["act"] else []
        return {
            "right_ids": d["rights"], "title": d["title"], "facts": d["facts"], "respondent_uscc": d["respondent_uscc"],
            "respondent_name": d["respondent_name"], "respondent_shop_url": d["respondent_shop_url"],
            "respondent_address": d["respondent_address"], "acts": acts, "remedy_stop": d["remedy_stop"],
            "remedy_apology": d["remedy_apology"], "damages_claimed": d["damages_claimed"],
            "preferred_channel": d["preferred_channel"], "both_willing_to_mediate": d["both_willing_to_mediate"],
            "deposit_nos": [n.strip() for n in d["deposit_nos"].split() if n.strip()],
            "files": d["files"], "join": d["join"],
        }


class ActionForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=list(ACTIONS.items()))
    reason = forms.CharField(label="理由/说明（不予受理写明法律依据；达成调解协议填写协议内容；申请司法确认填写法院）", widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class SwitchForm(forms.Form):
    channel = forms.ChoiceField(label="转入渠道", choices=Channel.choices)
    reason = forms.CharField(label="转换理由", widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


def _calc_money(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=16, decimal_places=2)


class DecisionForm(forms.Form):
    infringement_found = forms.BooleanField(label="认定侵权", required=False, initial=True)
    wilful = forms.BooleanField(label="故意侵权", required=False)
    penalty_amount = forms.DecimalField(label="罚款（元）", min_value=0, max_digits=16, decimal_places=2, initial=0)
    damages = forms.DecimalField(label="赔偿（元，裁决/仲裁）", min_value=0, max_digits=16, decimal_places=2,
                                 required=False)
    illegal_business_volume = forms.DecimalField(label="非法经营数额（元，用于刑事追诉标准核查）", min_value=0,
                                                 max_digits=16, decimal_places=2, required=False)
    legal_basis = forms.CharField(label="法律依据", max_length=500)
    reasoning = forms.CharField(label="事实与理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    published = forms.BooleanField(label="公开（个人信息遮蔽）", required=False)
    # 依法计算赔偿 (zhibao.law.damages): fill any proven amount and the award is computed, with its steps and
    # articles, and printed on the decision; leave all empty to state the award by hand (or none)
    calc_actual_loss = _calc_money("依法计算赔偿·权利人实际损失（元）")
    calc_infringer_gains = _calc_money("依法计算赔偿·侵权人获益（元）")
    calc_licence_fee = _calc_money("依法计算赔偿·许可使用费（元）")
    calc_licence_multiple = forms.DecimalField(label="依法计算赔偿·许可使用费倍数", required=False, min_value=0,
                                               max_digits=6, decimal_places=4)
    calc_serious = forms.BooleanField(label="依法计算赔偿·情节严重（与故意侵权同时具备时适用惩罚性赔偿）", required=False)
    calc_punitive_multiple = forms.DecimalField(label="依法计算赔偿·惩罚性赔偿倍数（1–5）", required=False,
                                                min_value=1, max_value=5, max_digits=6, decimal_places=4)
    calc_reasonable_costs = _calc_money("依法计算赔偿·维权合理开支（元）")
    calc_statutory_amount = _calc_money("依法计算赔偿·法定赔偿请求数额（元，无法查明上述数额时）")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):  # noqa: ANN201
        """Gather the calc_ fields into ``damages_calculation`` (None when no amount was given)."""
        data = super().clean()
        calc = {name[5:]: data.pop(name, None) for name in list(data) if name.startswith("calc_")}
        given = [calc.get(k) for k in ("actual_loss", "infringer_gains", "licence_fee", "statutory_amount")]
        data["damages_calculation"] = None
        if any(v is not None for v in given):
            data["damages_calculation"] = {k: str(v) if not isinstance(v, bool) else v for k, v in calc.items()
                                           if v is not None and v is not False}
        return data


class HearingForm(forms.Form):
    """安排审理 (adjudication, arbitration): on site, or online with the video link the parties will use."""

    mode = forms.ChoiceField(label="审理方式", choices=[("onsite", "现场审理"), ("online", "在线审理（视频）")])
    at = forms.DateTimeField(label="审理时间（北京时间）", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    link = forms.URLField(label="视频链接（在线审理必填，https）", required=False, assume_scheme="https")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class HearingRecordForm(forms.Form):
    record = forms.CharField(label="审理笔录", widget=forms.Textarea(attrs={"rows": 4}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClockForm(forms.Form):
    op = forms.ChoiceField(label="期限操作", choices=[("pause", "中止"), ("resume", "恢复"), ("extend", "延长（经批准）")])
    reason = forms.CharField(label="理由", max_length=300)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class FilterForm(forms.Form):
    q = forms.CharField(label="编号/案由/被投诉人", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Status.choices))
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部")] + list(Channel.choices))
    district = forms.CharField(label="行政区划代码", required=False, max_length=6)
    right_type = forms.ChoiceField(label="权利类型", required=False, choices=[
        ("", "全部"), ("patent", "专利"), ("trademark", "商标"), ("copyright", "著作权"), ("trade_secret", "商业秘密"),
        ("gi", "地理标志")])
    overdue = forms.BooleanField(label="仅逾期", required=False)


class StatusLookupForm(forms.Form):
    number = forms.CharField(label="案件编号", max_length=20)
    code = forms.CharField(label="查询码", max_length=12)


class TriageRuleForm(forms.Form):
    key = forms.SlugField(label="规则标识", max_length=40)
    name = forms.CharField(label="规则名称", max_length=120)
    priority = forms.IntegerField(label="优先级（小者先）", min_value=1, initial=100)
    conditions = forms.JSONField(label="条件（JSON）", help_text='例：{"right_types": ["trademark"], "has_evidence": true}')
    complexity = forms.ChoiceField(label="繁简", choices=[("simple", "简易"), ("complex", "普通（复杂）")])
    channel = forms.ChoiceField(label="建议渠道", choices=Channel.choices)
    basis = forms.CharField(label="依据", max_length=300, required=False)
    active = forms.BooleanField(label="启用", required=False, initial=True)


class ReassignForm(forms.Form):
    """更换承办人: the choices are the eligible handlers (``selectors.eligible_handlers``), set by the view."""

    assignee = forms.TypedChoiceField(label="新承办人", coerce=int)
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, handlers: list | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = handlers or []
