"""Rights forms: shapes only; the service validates numbers, classes and dates by law."""

from django import forms

from zhibao.rights.models import Licence, Right, RightType


class RightForm(forms.Form):
    right_type = forms.ChoiceField(label="权利类型", choices=RightType.choices)
    owner = forms.ChoiceField(label="权利人")
    title = forms.CharField(label="名称", max_length=200, help_text="专利名称 / 商标文字 / 作品名称 / 商业秘密名称 / 地理标志名称")
    number = forms.CharField(label="申请号/注册号/登记号", max_length=40, required=False,
                             help_text="专利申请号如 2023101234567.X；商标注册号为数字")
    status = forms.ChoiceField(label="状态", choices=Right.Status.choices)
    valid_from = forms.DateField(label="生效日", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label="届满日", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    patent_kind = forms.ChoiceField(label="专利类型", choices=[("", "按申请号判断")] + Right.PatentKind.choices,
                                    required=False)
    grant_number = forms.CharField(label="授权公告号", max_length=40, required=False)
    ipc = forms.CharField(label="IPC 分类号", max_length=200, required=False, help_text="多个用分号分隔，如 G06N 3/08")
    claims = forms.CharField(label="权利要求", required=False, widget=forms.Textarea)
    nice_classes = forms.CharField(label="尼斯分类", required=False, help_text="1-45，多个用逗号分隔，如 9,35,42")
    goods = forms.CharField(label="核定使用商品/服务", required=False, widget=forms.Textarea)
    mark_image = forms.FileField(label="商标图样", required=False)
    self_declared = forms.BooleanField(label="自主声明作品（无登记号）", required=False)
    work_file = forms.FileField(label="作品文件", required=False)
    secret_description = forms.CharField(label="秘密点描述（仅权利人可见）", required=False, widget=forms.Textarea)
    gi_product = forms.CharField(label="地理标志产品", max_length=100, required=False)
    gi_area = forms.CharField(label="产地范围", max_length=300, required=False)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea)

    def __init__(self, *args, owners=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(o.pk, f"{o.name}（{o.identifier}）") for o in owners]


class RightFilterForm(forms.Form):
    q = forms.CharField(label="编号/名称", required=False)
    right_type = forms.ChoiceField(label="类型", choices=[("", "全部")] + RightType.choices, required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部")] + Right.Status.choices, required=False)
    owner = forms.CharField(label="权利人", required=False)
    nice_class = forms.IntegerField(label="尼斯分类", required=False, min_value=1, max_value=45)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV 或 XLSX 文件", help_text="列名见下方模板；错误行会逐行列出，正确的行照常导入")


class LicenceForm(forms.Form):
    licensee = forms.ChoiceField(label="被许可人")
    kind = forms.ChoiceField(label="许可类型", choices=Licence.Kind.choices)
    fee = forms.DecimalField(label="许可费（元）", min_value=0, max_digits=16, decimal_places=2)
    start = forms.DateField(label="起始日", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="终止日", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    recordal_no = forms.CharField(label="备案号", max_length=60, required=False)

    def __init__(self, *args, licensees=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["licensee"].choices = [(o.pk, o.name) for o in licensees]
