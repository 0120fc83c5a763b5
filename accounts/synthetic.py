"""Synthetic but valid real-name data for demos and tests: ID numbers with correct check digits, mobile numbers,
names and birth dates (the demo data of every app and the test factories draw on it)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from accounts.identity import check_character

# Address codes of Shandong districts (GB/T 2260): 济南历下, 青岛市南, 烟台芝罘, 潍坊奎文, 淄博张店, 济宁任城.
SHANDONG_DISTRICTS = ("370102", "370202", "370602", "370705", "370303", "370811")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏建国红雪梅海波宁浩然子涵宇轩晨阳一鸣思远"


def synthetic_id_number(rng: random.Random, *, born: date, male: bool) -> str:
    region = rng.choice(SHANDONG_DISTRICTS)
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def synthetic_mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "158", "186", "177", "199")) + f"{rng.randrange(10**8):08d}"


def synthetic_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def synthetic_birth(rng: random.Random, *, youngest: int, oldest: int, today: date) -> date:
    days = rng.randrange(youngest * 365 + 1, oldest * 365)
    return today - timedelta(days=days)
