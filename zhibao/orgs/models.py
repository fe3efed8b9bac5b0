"""Market entities (市场主体), Beijing districts and their contacts.

An organisation is identified by its Unified Social Credit Code (GB 32100),
or, for foreign entities, by country + foreign registration number. A
respondent that cannot be identified yet is stored as *provisional* so a
complaint can be filed against it and completed later. Rows are never
deleted: an organisation is deactivated instead.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class District(models.Model):
    """An administrative division by GB/T 2260 code (the Beijing districts are seeded)."""

    code = models.CharField("行政区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", "企业"
        INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
        INSTITUTION = "institution", "机关/事业单位/社会组织"
        FOREIGN = "foreign", "境外主体"

    class Sector(models.TextChoices):
        GENERAL = "general", "一般市场主体"
        ECOMMERCE_PLATFORM = "ecommerce_platform", "电商平台"
        FAIR_ORGANISER = "fair_organiser", "展会主办方"
        MEDIATION_CENTRE = "mediation_centre", "调解组织"
        ARBITRATION = "arbitration", "仲裁机构"
        COURT = "court", "人民法院"
        AGENCY = "agency", "行政机关"
        IP_AGENCY = "ip_agency", "知识产权代理机构"
        APPRAISAL = "appraisal", "鉴定机构"

    name = models.CharField("名称", max_length=200, db_index=True)
    kind = models.CharField("主体类型", max_length=24, choices=Kind.choices, default=Kind.COMPANY)
    sector = models.CharField("行业角色", max_length=24, choices=Sector.choices, default=Sector.GENERAL)
    # NULL (not "") for "no code", so the unique constraint ignores foreign and provisional entities
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True)  # noqa: DJ001
    uscc_warnings = models.JSONField("代码提示", default=list, blank=True)
    entity_type = models.CharField("登记类型", max_length=60, blank=True)
    country = models.CharField("国家/地区", max_length=60, blank=True)
    foreign_registration_no = models.CharField("境外登记号", max_length=60, blank=True)
    district = models.ForeignKey(District, verbose_name="所在区", null=True, blank=True, on_delete=models.PROTECT)
    address = models.CharField("地址", max_length=300, blank=True)
    legal_representative = models.CharField("法定代表人/负责人", max_length=60, blank=True)
    shop_url = models.URLField("网店地址", max_length=500, blank=True)
    industry = models.CharField("行业", max_length=60, blank=True)
    provisional = models.BooleanField("待核实主体", default=False)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = "市场主体"
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=Q(uscc__isnull=False), name="org_unique_uscc"),
            models.UniqueConstraint(
                fields=["country", "foreign_registration_no"],
                condition=Q(kind="foreign"),
                name="org_unique_foreign_registration",
            ),
        ]
        indexes = [models.Index(fields=["district", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        if self.uscc:
            return self.uscc
        if self.kind == self.Kind.FOREIGN:
            return f"{self.country} {self.foreign_registration_no}"
        return "（待核实）"


class Contact(models.Model):
    """A person to reach at an organisation; personal data, masked on public pages."""

    organisation = models.ForeignKey(Organisation, related_name="contacts", on_delete=models.PROTECT)
    name = models.CharField("姓名", max_length=60)
    title = models.CharField("职务", max_length=60, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_representative = models.BooleanField("授权代表", default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = "联系人"

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"
