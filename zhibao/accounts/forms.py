"""Forms for login and token creation (validation only; writes go through services)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from zhibao.accounts.services import TOKEN_SCOPES


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="用户名或手机号", max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="密码", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=80, help_text="例如：区市场监管局对接系统")
    scopes = forms.MultipleChoiceField(label="权限范围", choices=sorted(TOKEN_SCOPES.items()),
                                       widget=forms.CheckboxSelectMultiple)
    expires_in_days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=3650, initial=365)


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="对象/原因", required=False)
    object_type = forms.CharField(label="对象类型", required=False)
    action = forms.CharField(label="操作", required=False)
    actor = forms.CharField(label="操作人", required=False)
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PowerForm(forms.Form):
    agent = forms.CharField(label="代理人（用户名或手机号）", max_length=150)
    scope = forms.ChoiceField(label="授权范围", choices=[("all", "全部事项"), ("rights", "权利登记"),
                                                         ("complaints", "投诉与维权"), ("notices", "电商通知")])
    valid_from = forms.DateField(label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    document_no = forms.CharField(label="委托书编号", max_length=60, required=False)
