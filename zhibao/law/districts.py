"""Administrative division codes (GB/T 2260) the platform knows by name.

Beijing's 16 districts, plus the province-level prefixes of the
Beijing-Tianjin-Hebei cooperation area (clause 12 of the action plan).
"""

BEIJING_DISTRICTS: dict[str, str] = {
    "110101": "东城区",
    "110102": "西城区",
    "110105": "朝阳区",
    "110106": "丰台区",
    "110107": "石景山区",
    "110108": "海淀区",
    "110109": "门头沟区",
    "110111": "房山区",
    "110112": "通州区",
    "110113": "顺义区",
    "110114": "昌平区",
    "110115": "大兴区",
    "110116": "怀柔区",
    "110117": "平谷区",
    "110118": "密云区",
    "110119": "延庆区",
}

PROVINCES: dict[str, str] = {"11": "北京市", "12": "天津市", "13": "河北省"}


def division_name(code: str) -> str | None:
    """The district name for a Beijing code, else the province name for a known prefix."""
    if code in BEIJING_DISTRICTS:
        return "北京市" + BEIJING_DISTRICTS[code]
    return PROVINCES.get(code[:2])
