"""Calculator forms. They collect raw strings; the law library's pydantic models validate them."""

from django import forms

RIGHT_TYPES = [("patent", "专利"), ("trademark", "商标"), ("copyright", "著作权"), ("trade_secret", "商业秘密")]


class DeadlineForm(forms.Form):
    start = forms.DateField(label="起算日", widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label="计算方式", choices=[("days", "自然日"), ("working_days", "工作日"),
                                                       ("rule", "具名规则")])
    amount = forms.IntegerField(label="天数", required=False, min_value=1, max_value=3650)
    rule = forms.ChoiceField(label="规则", required=False)
    provisional = forms.BooleanField(label="下一年放假安排未发布时按法定假日预估", required=False)

    def __init__(self, *args, rules=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "—")] + [(r["name"], r.get("title") or r["name"]) for r in rules]


class DamagesForm(forms.Form):
    right_type = forms.ChoiceField(label="权利类型", choices=RIGHT_TYPES)
    actual_loss = forms.CharField(label="权利人实际损失（元）", required=False)
    infringer_gains = forms.CharField(label="侵权人获得的利益（元）", required=False)
    licence_fee = forms.CharField(label="许可使用费（元）", required=False)
    licence_multiple = forms.CharField(label="许可费倍数", required=False, initial="1")
    wilful = forms.BooleanField(label="故意侵权", required=False)
    serious = forms.BooleanField(label="情节严重", required=False)
    punitive_multiple = forms.CharField(label="惩罚性赔偿倍数（1-5）", required=False)
    reasonable_costs = forms.CharField(label="维权合理开支（元）", required=False, initial="0")
    statutory_amount = forms.CharField(label="请求的法定赔偿数额（元）", required=False)
    evidence_notes = forms.CharField(label="证据说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def payload(self) -> dict:
        """Non-empty fields only, so 'not proven' stays absent rather than zero."""
        data = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, bool):
                data[name] = value
            elif value not in (None, ""):
                data[name] = value.strip().replace(",", "")
        return data
