"""Organisation forms: field shapes only; the service validates USCC and duplicates."""

from django import forms

from zhibao.orgs.models import District, Organisation


class OrganisationForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="主体类型", choices=Organisation.Kind.choices)
    sector = forms.ChoiceField(label="行业角色", choices=Organisation.Sector.choices)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False,
                           help_text="18 位，境外主体不填；身份不明的被投诉人可勾选“待核实主体”")
    country = forms.CharField(label="国家/地区（境外主体）", max_length=60, required=False)
    foreign_registration_no = forms.CharField(label="境外登记号", max_length=60, required=False)
    district_code = forms.ModelChoiceField(label="所在区", queryset=District.objects.all(), required=False,
                                           to_field_name="code")
    address = forms.CharField(label="地址", max_length=300, required=False)
    legal_representative = forms.CharField(label="法定代表人/负责人", max_length=60, required=False)
    shop_url = forms.URLField(label="网店地址", required=False, max_length=500)
    industry = forms.CharField(label="行业", max_length=60, required=False)
    provisional = forms.BooleanField(label="待核实主体", required=False)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        district = data.pop("district_code")
        data["district_code"] = district.code if district else ""
        return data


class ContactForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=60)
    title = forms.CharField(label="职务", max_length=60, required=False)
    phone = forms.CharField(label="电话", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    is_representative = forms.BooleanField(label="授权代表", required=False)


class OrgFilterForm(forms.Form):
    q = forms.CharField(label="名称/代码", required=False)
    kind = forms.ChoiceField(label="主体类型", choices=[("", "全部")] + Organisation.Kind.choices, required=False)
    sector = forms.ChoiceField(label="行业角色", choices=[("", "全部")] + Organisation.Sector.choices, required=False)
    district = forms.ModelChoiceField(label="所在区", queryset=District.objects.all(), required=False,
                                      to_field_name="code", empty_label="全部")
