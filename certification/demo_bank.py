"""The demo's question bank (issue 12 item 11): a 焊工 四级/中级工 bank of over 300 questions generated from
templates (welding safety, processes, materials, equipment and inspection; each with its explanation), and a
blueprint it satisfies. Deterministic (no randomness), added by the system actor through the services, safe to run
twice (an import skips questions the bank already holds; the blueprint is stored once).

鉴定点 codes: A-A safety (安全与防护), A-B materials (焊接材料与金属材料), B-A processes (焊接工艺), B-B equipment
(焊接设备), B-C inspection (焊接检验); the third segment groups points, the last is the point's serial.
"""

from __future__ import annotations

from itertools import count

from accounts.actors import SYSTEM
from certification import services
from certification.domain.papers import Blueprint, Cell, Importance, Kind, area_of
from certification.domain.questions import TRUE_FALSE_OPTIONS, QuestionContent
from certification.models import Occupation

LEVEL = 4
IMPORTANCE = (Importance.X, Importance.Y, Importance.Z)

# (area, subject, correct, wrong options, explanation) → single choice; facts are standard welding knowledge.
FACTS: list[tuple[str, str, str, tuple[str, str, str], str]] = [
    ("A-A", "焊接作业场所发生电气火灾时，应首先", "切断电源", ("用水浇灭", "继续作业", "打开门窗通风"),
     "电气火灾须先断电，再用干粉或二氧化碳灭火器扑救，不能用水。"),
    ("A-A", "焊工电焊时佩戴的护目镜片主要用于防止", "弧光辐射伤害眼睛",
     ("飞溅烫伤手部", "噪声损伤听力", "烟尘进入呼吸道"),
     "电弧产生强烈的紫外线和红外线，须用相应遮光号的滤光片保护眼睛。"),
    ("A-A", "在容器内部进行焊接作业时，照明行灯电压不得超过", "12 V", ("36 V", "110 V", "220 V"),
     "金属容器内属于特别潮湿和狭窄的场所，行灯电压不得超过 12 V。"),
    ("A-A", "气瓶与明火的距离一般不应小于", "10 m", ("1 m", "3 m", "5 m"),
     "乙炔瓶、氧气瓶与明火距离一般不小于 10 m，两瓶之间不小于 5 m。"),
    ("A-A", "焊接烟尘中对人体危害最大的主要成分之一是", "锰及其化合物", ("水蒸气", "氮气", "二氧化碳"),
     "长期吸入锰烟尘可导致锰中毒，须加强通风并佩戴防尘口罩。"),
    ("A-A", "高处焊接作业时，安全带应", "高挂低用", ("低挂高用", "系在腰部以下的构件上", "不必系挂"),
     "安全带应高挂低用，挂在牢固的构件上，下方应设防火措施。"),
    ("A-B", "E4303 焊条属于", "钛钙型酸性焊条", ("低氢钠型碱性焊条", "纤维素型焊条", "铸铁焊条"),
     "E4303 药皮为钛钙型，属酸性焊条，工艺性能好，交直流两用。"),
    ("A-B", "E5015 焊条焊前一般应在多少温度下烘干", "350～400 ℃", ("75～150 ℃", "150～200 ℃", "500～600 ℃"),
     "低氢型碱性焊条吸潮后易产生氢致裂纹，须在 350～400 ℃ 烘干 1～2 h。"),
    ("A-B", "Q355 钢属于", "低合金高强度结构钢", ("奥氏体不锈钢", "灰铸铁", "工具钢"),
     "Q355 的屈服强度为 355 MPa，是常用的低合金高强度结构钢。"),
    ("A-B", "钢中含碳量增加时，其焊接性一般", "变差", ("变好", "不变", "先变好后变差"),
     "含碳量越高，淬硬倾向越大，越容易产生冷裂纹，焊接性越差。"),
    ("A-B", "CO₂ 气体保护焊常用的焊丝是", "ER50-6",
     ("E4303", "H08A 配焊剂", "ERNiCr-3"),
     "ER50-6 含有较多的硅、锰脱氧元素，适合 CO₂ 气体保护焊。"),
    ("A-B", "埋弧焊用焊剂使用前应", "按规定烘干", ("用水清洗", "加热至熔化", "直接使用"),
     "焊剂受潮会引起气孔，使用前须按说明书规定的温度和时间烘干。"),
    ("B-A", "焊接电流过大时最容易产生的缺陷是", "咬边和烧穿", ("未熔合", "夹渣", "冷裂纹"),
     "电流过大使熔池过热，边缘熔化过多形成咬边，薄板易烧穿。"),
    ("B-A", "立焊时焊条电弧焊的焊接电流应比平焊", "小 10%～15%", ("大 10%～15%", "大一倍", "相同"),
     "立焊时熔池金属易下淌，须适当减小电流。"),
    ("B-A", "厚板对接焊开坡口的主要目的是", "保证焊透", ("减少焊材用量以外的一切", "提高表面光洁度", "便于装配"),
     "开坡口使电弧能深入接头根部，保证焊透。"),
    ("B-A", "焊前预热的主要作用是", "降低冷却速度，防止冷裂纹", ("提高焊接速度", "增加熔深", "减少焊材消耗"),
     "预热减缓冷却速度，减少淬硬组织和氢的聚集，防止冷裂纹。"),
    ("B-A", "多层多道焊时，层间温度过高会导致", "接头晶粒粗大、韧性下降", ("产生冷裂纹", "未焊透", "焊缝余高不足"),
     "层间温度过高使热影响区过热，晶粒长大，冲击韧性降低。"),
    ("B-A", "CO₂ 气体保护焊时气体流量过小易产生", "气孔", ("咬边", "焊瘤", "烧穿"),
     "保护气流量不足，空气侵入熔池，易产生氮气孔。"),
    ("B-B", "焊条电弧焊电源应具有", "陡降外特性", ("平外特性", "上升外特性", "任意外特性"),
     "陡降外特性使弧长变化时电流变化小，电弧稳定。"),
    ("B-B", "CO₂ 气体保护焊通常采用", "平外特性电源配等速送丝",
     ("陡降外特性电源配等速送丝", "交流电源", "恒流电源配变速送丝"),
     "平特性电源配等速送丝，依靠电弧自身调节作用保持弧长稳定。"),
    ("B-B", "焊机外壳必须", "可靠接地或接零", ("涂绝缘漆", "与工件相连", "悬空放置"),
     "焊机外壳接地或接零，防止漏电时发生触电事故。"),
    ("B-B", "氧气瓶的瓶体颜色为", "淡（天）蓝色", ("白色", "黑色", "铝白色"),
     "按气瓶颜色标志，氧气瓶为淡（天）蓝色，乙炔瓶为白色。"),
    ("B-C", "检查焊缝内部缺陷常用的方法是", "射线检测或超声检测", ("目视检查", "磁粉检测", "渗透检测"),
     "射线和超声检测可发现内部缺陷；磁粉、渗透主要检测表面及近表面缺陷。"),
    ("B-C", "渗透检测适用于检测", "表面开口缺陷", ("内部气孔", "内部夹渣", "未焊透根部以内的缺陷"),
     "渗透剂只能渗入表面开口的缺陷。"),
    ("B-C", "焊缝外观检查中，咬边深度一般不应超过", "0.5 mm", ("2 mm", "3 mm", "5 mm"),
     "多数标准规定咬边深度不超过 0.5 mm，且有连续长度限制。"),
]

# (area, statement, true?, explanation) → true/false.
STATEMENTS: list[tuple[str, str, bool, str]] = [
    ("A-A", "焊接作业结束后，应检查作业现场确认无火种后方可离开。", True, "焊后遗留火种是火灾的常见原因。"),
    ("A-A", "在有可燃气体的容器上可以直接进行焊接。", False, "须先置换、清洗并检测合格，办理动火手续后方可焊接。"),
    ("A-A", "焊工可以用手直接接触焊钳的导电部分。", False, "带电部分不得用手接触，以防触电。"),
    ("A-B", "碱性焊条焊接时应采用短弧焊。", True, "碱性焊条长弧焊易产生气孔。"),
    ("A-B", "酸性焊条的抗裂性能优于碱性焊条。", False, "碱性焊条焊缝含氢量低，抗裂性能更好。"),
    ("A-B", "奥氏体不锈钢焊接时应控制层间温度不宜过高。", True, "过高的层间温度会增加晶间腐蚀倾向。"),
    ("B-A", "焊接速度越快，熔深越大。", False, "焊接速度过快，热输入减小，熔深变浅，易未焊透。"),
    ("B-A", "定位焊的质量要求与正式焊缝相同。", True, "定位焊缝将成为正式焊缝的一部分。"),
    ("B-A", "焊后热处理可以降低焊接残余应力。", True, "消除应力退火可显著降低残余应力。"),
    ("B-B", "焊接电缆可以用钢丝代替。", False, "钢丝电阻大、易发热，不能代替焊接电缆。"),
    ("B-B", "CO₂ 气瓶出口应装设预热器。", True, "CO₂ 减压时吸热，易使减压器冻结。"),
    ("B-C", "磁粉检测适用于奥氏体不锈钢焊缝。", False, "奥氏体不锈钢无磁性，不能用磁粉检测。"),
    ("B-C", "焊缝的余高越大，接头强度越高。", False, "余高过大会造成应力集中，反而降低疲劳强度。"),
]

# (area, question, correct options, wrong options, explanation) → multiple choice.
MULTI: list[tuple[str, str, tuple[str, ...], tuple[str, ...], str]] = [
    ("A-A", "焊工的个人防护用品包括", ("焊接面罩", "焊工手套", "绝缘鞋"), ("化纤衣服",),
     "焊工应穿戴阻燃工作服、面罩、手套和绝缘鞋；化纤衣服易燃，不得穿用。"),
    ("A-A", "防止触电的措施有", ("焊机外壳接地", "穿绝缘鞋", "潮湿处垫绝缘垫"), ("赤手更换焊条",),
     "更换焊条应戴干燥的手套。"),
    ("A-B", "焊条药皮的作用有", ("稳弧", "造气造渣保护", "渗合金"), ("降低熔敷效率",),
     "药皮起稳弧、保护、冶金处理和改善工艺性能的作用。"),
    ("A-B", "影响钢材焊接性的主要因素有", ("含碳量", "合金元素含量", "板厚与拘束度"), ("钢材的颜色",),
     "碳当量、板厚和拘束度决定冷裂倾向。"),
    ("B-A", "产生气孔的原因有", ("焊条受潮", "坡口有油锈", "保护气体不足"), ("焊接电流适中",),
     "水分、油锈和保护不良都会使气体进入熔池。"),
    ("B-A", "防止冷裂纹的措施有", ("预热", "使用低氢焊条", "焊后缓冷或后热"), ("增大拘束度",),
     "冷裂纹与淬硬组织、氢和拘束应力有关。"),
    ("B-B", "焊机日常维护应做到", ("保持清洁干燥", "检查接线牢固", "定期检查绝缘"), ("超负载持续率使用",),
     "超负载持续率使用会使焊机过热损坏。"),
    ("B-C", "焊缝表面缺陷包括", ("咬边", "焊瘤", "表面气孔"), ("内部夹渣",),
     "内部夹渣属于内部缺陷，须用无损检测发现。"),
]

# Variations so each fact yields several distinct questions (the same point asked in words of several jobs).
CONTEXTS = ["", "在钢结构厂房施工中，", "在压力容器制造中，", "在管道安装现场，", "在船体分段建造中，",
            "在设备检修时，",
            "在桥梁钢构件焊接中，", "在锅炉受压元件焊接中，", "在工程机械结构件焊接中，", "在储罐现场组焊中，",
            "在轨道车辆构架焊接中，"]


def _contents() -> list[QuestionContent]:
    serial = count(1)
    out: list[QuestionContent] = []
    for n_fact, (area, subject, right, wrong, why) in enumerate(FACTS):
        for n_context, context in enumerate(CONTEXTS):
            options = [right, *wrong]
            shift = (n_fact + n_context) % 4  # the right option moves between A and D
            options = options[-shift:] + options[:-shift] if shift else options
            out.append(QuestionContent(
                kind=Kind.SINGLE, point_code=f"{area}-{'ABC'[n_fact % 3]}-{next(serial):03d}",
                importance=IMPORTANCE[n_fact % 3], difficulty=1 + (n_fact + n_context) % 3 + (n_context > 7),
                stem=f"{context}{subject}（  ）。", options=tuple(options), answer=(options.index(right),),
                explanation=why))
    for n_stmt, (area, statement, true, why) in enumerate(STATEMENTS):
        for n_context, context in enumerate(CONTEXTS[:4]):
            out.append(QuestionContent(
                kind=Kind.TRUE_FALSE, point_code=f"{area}-{'ABC'[n_stmt % 3]}-{next(serial):03d}",
                importance=IMPORTANCE[n_stmt % 3], difficulty=1 + (n_stmt + n_context) % 3,
                stem=f"{context}{statement}",
                options=TRUE_FALSE_OPTIONS, answer=(0,) if true else (1,), explanation=why))
    for n_multi, (area, question, correct, others, why) in enumerate(MULTI):
        for n_context, context in enumerate(CONTEXTS[:4]):
            choices = [*correct[:2], *others, *correct[2:]] if n_context % 2 else [*correct, *others]
            out.append(QuestionContent(
                kind=Kind.MULTIPLE, point_code=f"{area}-{'ABC'[n_multi % 3]}-{next(serial):03d}",
                importance=IMPORTANCE[n_multi % 3], difficulty=2 + n_context % 2,
                stem=f"{context}{question}（  ）。", options=tuple(choices),
                answer=tuple(sorted(choices.index(r) for r in correct)), explanation=why))
    return out


def demo_blueprint(contents: list[QuestionContent]) -> Blueprint:
    """A third of every cell the bank holds (depth 2), points 1 / 2 / 1: a blueprint the bank meets with room for
    every candidate to get a different paper."""
    have: dict[tuple[str, Kind, int], int] = {}
    for c in contents:
        key = (area_of(c.point_code, 2), c.kind, c.difficulty)
        have[key] = have.get(key, 0) + 1
    return Blueprint(tuple(Cell(a, k, d, n // 3) for (a, k, d), n in sorted(have.items()) if n // 3),
                     {Kind.SINGLE: 1, Kind.MULTIPLE: 2, Kind.TRUE_FALSE: 1}, depth=2)


def seed() -> None:
    welder = Occupation.objects.filter(code="6-18-02-04").first()
    if welder is None:
        return
    contents = _contents()
    services.questions_import(actor=SYSTEM, occupation_id=welder.pk, level=LEVEL, contents=contents,
                              source_format="demo")
    services.blueprint_set(actor=SYSTEM, occupation_id=welder.pk, level=LEVEL, blueprint=demo_blueprint(contents))
