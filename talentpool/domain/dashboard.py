"""The dashboard's arithmetic and the schematic tile map of the 16 cities (产教资源匹配数字地图, issue 14 item 10).

- Supply of a chain, city or alliance is the pool's talents there plus the colleges' graduates of the last three
  years there; the gap (缺口) is demand head-count minus that supply: positive is a shortage, negative a surplus.
- The map publishes no boundary data: each city is a tile on a 7 × 4 grid placed roughly where it lies (north at
  the top, 德州 north-west, 威海/烟台 in the east, 菏泽/聊城 in the west, 青岛/日照 south-east, 枣庄/济宁 south).
- `city_of` reads an Organization's free-typed city ("济南市", "济南") as a `City` value.
"""

from __future__ import annotations

from dataclasses import dataclass

# (value of talentpool.models.City, Chinese name, column, row) — row 0 is the north.
TILES: tuple[tuple[str, str, int, int], ...] = (
    ("dezhou", "德州", 1, 0), ("binzhou", "滨州", 2, 0), ("dongying", "东营", 3, 0), ("yantai", "烟台", 5, 0),
    ("weihai", "威海", 6, 0),
    ("liaocheng", "聊城", 0, 1), ("jinan", "济南", 1, 1), ("zibo", "淄博", 2, 1), ("weifang", "潍坊", 3, 1),
    ("qingdao", "青岛", 4, 1),
    ("taian", "泰安", 1, 2), ("linyi", "临沂", 3, 2), ("rizhao", "日照", 4, 2),
    ("heze", "菏泽", 0, 3), ("jining", "济宁", 1, 3), ("zaozhuang", "枣庄", 2, 3),
)
GRID_COLUMNS, GRID_ROWS = 7, 4

_BY_NAME = {name: value for value, name, _c, _r in TILES}


def city_of(text: str) -> str:
    """The City value of a place name such as "济南市" or "济南" ("" when it is none of the 16)."""
    name = text.strip()
    for suffix in ("市",):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return _BY_NAME.get(name, "")


@dataclass(frozen=True, slots=True)
class Figures:
    demand: int
    pool: int
    graduates: int

    @property
    def supply(self) -> int:
        return self.pool + self.graduates

    @property
    def gap(self) -> int:
        return self.demand - self.supply
