"""Administrative division codes (GB/T 2260) the platform knows by name.

Why: a USCC carries its registration district in positions 3-8, and the platform routes Beijing
cases by district. Beijing's 16 districts by name, the province-level prefixes of the
Beijing-Tianjin-Hebei cooperation area (clause 12 of the action plan), and every province-level
prefix so that a code from elsewhere is recognised rather than flagged.
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

#: The Beijing-Tianjin-Hebei cooperation area.
PROVINCES: dict[str, str] = {"11": "北京市", "12": "天津市", "13": "河北省"}

#: Every province-level prefix of GB/T 2260 (first two digits of a division code).
ALL_PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
    "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
    "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
    "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}

#: Codes used for entities registered at national level (e.g. by SAMR itself), not a place.
NATIONAL_DIVISION = "100000"


def division_name(code: str) -> str | None:
    """The district name for a Beijing code, else the province name for a Beijing-Tianjin-Hebei prefix."""
    if code in BEIJING_DISTRICTS:
        return "北京市" + BEIJING_DISTRICTS[code]
    return PROVINCES.get(code[:2])


def province_name(code: str) -> str | None:
    """The province-level name for any GB/T 2260 code (by its first two digits), or None."""
    return ALL_PROVINCES.get(code[:2])
