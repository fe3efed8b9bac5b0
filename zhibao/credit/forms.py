"""Forms for the credit pages; services do the real validation and their errors come back into the form."""

from __future__ import annotations

from django import forms

from zhibao.credit.models import CreditFact, RepairApplication, Visibility
from zhibao.evidence.forms import MultipleFileField


class FactForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=40)
    kind = forms.ChoiceField(label="类型", choices=CreditFact.Kind.choices)
    occurred_on = forms.DateField(label="决定/发生日期", widget=forms.DateInput(attrs={"type": "date"}))
    source_ref = forms.CharField(label="文书编号（案号/决定书号）", max_length=80)
    authority = forms.CharField(label="决定机关", max_length=120, required=False)
    legal_basis = forms.CharField(label="法律依据", max_length=300)
    summary = forms.CharField(label="事实摘要", widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label="金额（元）", required=False, min_value=0, decimal_places=2, max_digits=14)
    wilful = forms.BooleanField(label="故意/恶意侵权（含惩罚性赔偿）", required=False)
    visibility = forms.ChoiceField(label="公开范围", choices=Visibility.choices)
    source_url = forms.CharField(label="文书链接", max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class StatementForm(forms.Form):
    text = forms.CharField(label="陈述申辩意见", widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    list_entity = forms.TypedChoiceField(label="结论", choices=[("1", "列入"), ("0", "不列入")],
                                         coerce=lambda v: v == "1")
    reasons = forms.CharField(label="决定理由（含对陈述申辩意见的采纳情况）", widget=forms.Textarea(attrs={"rows": 3}))
    start_on = forms.DateField(label="公示起始日（默认今日）", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))


class SupersedeForm(forms.Form):
    reasons = forms.CharField(label="新决定理由", widget=forms.Textarea(attrs={"rows": 2}))
    end_on = forms.DateField(label="新的公示截止日", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    revoke = forms.BooleanField(label="撤销列入", required=False)


class RepairForm(forms.Form):
    evidence_kinds = forms.MultipleChoiceField(label="修复材料", choices=RepairApplication.Evidence.choices,
                                               widget=forms.CheckboxSelectMultiple)
    statement = forms.CharField(label="申请说明", widget=forms.Textarea(attrs={"rows": 3}))
    deposit_numbers = forms.CharField(label="存证编号（每行一个，可选）", required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label="上传证明材料（可多选，存入电子存证）", required=False,
                              help_text="如罚款缴纳凭证、信用承诺书、培训结业证明；上传后生成存证编号附于申请")


class RepairReviewForm(forms.Form):
    approve = forms.TypedChoiceField(label="审核结论", choices=[("1", "准予修复"), ("0", "不予修复")],
                                     coerce=lambda v: v == "1")
    reason = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}))
