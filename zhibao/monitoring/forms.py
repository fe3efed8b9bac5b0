"""Forms for monitoring pages: thin, the services validate."""

from __future__ import annotations

from django import forms

from zhibao.monitoring.models import Alert


class AlertFilterForm(forms.Form):
    q = forms.CharField(label="名称/申请人", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Alert.Status.choices])
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *Alert.Kind.choices])


class DismissForm(forms.Form):
    reason = forms.CharField(label="排除理由", max_length=300, widget=forms.TextInput(
        attrs={"placeholder": "如：被许可人；含义明显不同；已在处理中"}))
    true_positive = forms.BooleanField(label="确属近似（仅因其他原因排除，如已许可）", required=False)


class ThresholdForm(forms.Form):
    threshold = forms.DecimalField(label="预警阈值", min_value=0, max_value=1, decimal_places=2)


class WatchListForm(forms.Form):
    owner = forms.ModelChoiceField(label="权利人", queryset=None)
    name = forms.CharField(label="清单名称", max_length=100)
    rights = forms.ModelMultipleChoiceField(label="监测的权利", queryset=None, widget=forms.CheckboxSelectMultiple)
    threshold = forms.DecimalField(label="预警阈值", initial="0.70", decimal_places=2,
                                   help_text="0.30–1.00；越低越不易漏报，误报也越多")

    def __init__(self, *args, owners, rights, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["rights"].queryset = rights


class AnnouncementForm(forms.Form):
    file = forms.FileField(label="商标初审公告（CSV/XLSX）")


class RiskForm(forms.Form):
    name = forms.CharField(label="拟用名称", max_length=200)
    nice_classes = forms.CharField(label="尼斯分类（逗号分隔，可空）", required=False, max_length=200)

    def clean_nice_classes(self) -> list[int]:
        raw = self.cleaned_data.get("nice_classes") or ""
        out = []
        for part in raw.replace("，", ",").replace("、", ",").split(","):
            if not part.strip():
                continue
            if not part.strip().isdigit() or not 1 <= int(part) <= 45:
                raise forms.ValidationError(f"尼斯分类应为 1–45 的整数：{part.strip()}")
            out.append(int(part))
        return out
