"""Demo data: 京购 as a registered platform, and one pending notice from 星河科技 against a 仿冒商贸 listing."""

from __future__ import annotations

from zhibao.accounts.models import User
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Right
from zhibao.takedown import services
from zhibao.takedown.models import Notice, Platform


def load(org_map: dict[str, Organisation]) -> None:
    platform = Platform.objects.filter(organisation=org_map["platform"]).first()
    if platform is None:
        platform = services.register_platform(actor=None, organisation=org_map["platform"], name="京购商城",
                                              oncall=User.objects.get(username="jinggou"))
    if Notice.objects.filter(platform=platform).exists():
        return
    mark = Right.objects.get(number="45678901")
    services.file_notice(
        actor=User.objects.get(username="xinghe"), notifier=org_map["xinghe"], platform=platform,
        right_ids=[mark.pk], goods_class=9,
        statement="该商品在标题和图片中使用“星河”注册商标，系未经许可的同类商品；星河科技承诺通知内容真实。",
        listings=[{"listing_id": "JG-100001", "url": "https://mall.jinggou.example/item/100001",
                   "title": "星河 S1 智能音箱 同款 蓝牙", "price": "89.00", "shop_id": "fangmao-store",
                   "shop_name": "仿冒优选旗舰店", "seller_uscc": org_map["fangmao"].uscc,
                   "seller_name": org_map["fangmao"].name}])
