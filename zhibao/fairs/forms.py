"""Forms for fair pages; the services validate (errors come back onto the form)."""

from __future__ import annotations

from django import forms

from zhibao.evidence.forms import MultipleFileField
from zhibao.fairs.services import OUTCOMES


class FilingForm(forms.Form):
    exhibit = forms.CharField(label="展品名称", max_length=200)
    right = forms.ChoiceField(label="登记的权利", required=False)
    certificate = forms.FileField(label="或：上传权利证书（PDF/图片）", required=False)
    certificate_no = forms.CharField(label="证书编号", required=False, max_length=60)

    def __init__(self, *args, rights=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["right"].choices = list(rights)


class PledgeForm(forms.Form):
    signer_name = forms.CharField(label="签署人姓名", max_length=100)
    agree = forms.BooleanField(label="我已阅读并同意上述承诺", required=False)


class ComplaintForm(forms.Form):
    respondent = forms.ChoiceField(label="被投诉展位")
    complainant = forms.ChoiceField(label="投诉人（权利人）")
    rights = forms.MultipleChoiceField(label="权利", widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label="侵权展品及事实", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="现场照片（可拍照上传）", required=False)

    def __init__(self, *args, booths=(), complainants=(), rights=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["respondent"].choices = list(booths)
        self.fields["complainant"].choices = list(complainants)
        self.fields["rights"].choices = list(rights)
        self.fields["photos"].widget.attrs.update({"accept": "image/*", "capture": "environment"})


class HandleForm(forms.Form):
    outcome = forms.ChoiceField(label="处理方式", choices=list(OUTCOMES.items()))
    note = forms.CharField(label="处理情况", widget=forms.Textarea(attrs={"rows": 2}))


class FairForm(forms.Form):
    name = forms.CharField(label="展会名称", max_length=200)
    venue = forms.CharField(label="场馆", max_length=200)
    district_code = forms.ChoiceField(label="所在区")
    starts_on = forms.DateField(label="开幕日", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="闭幕日", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, districts=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["district_code"].choices = list(districts)


class ExhibitorForm(forms.Form):
    uscc = forms.CharField(label="参展商统一社会信用代码", max_length=18)
    booth = forms.CharField(label="展位号", max_length=20)
