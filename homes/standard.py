"""The score sheet a new year's template starts from when there is no earlier year to copy.

(section, title, max points, cap level when failed or None, pass points or None). Admins edit
the copy per year in the admin; the sheet totals 100 points.
"""

from decimal import Decimal as D

DEFAULT_THRESHOLDS = {
    "five_star_min": D("90"),
    "four_star_min": D("80"),
    "three_star_min": D("70"),
    "two_star_min": D("60"),
}

DEFAULT_ITEMS = [
    ("facilities", "场地面积达标，功能分区（休息、康复、活动、就餐）齐全", D("8"), None, None),
    ("facilities", "无障碍设施完善（坡道、扶手、无障碍卫生间）", D("7"), None, None),
    ("facilities", "通过消防验收，消防器材配备齐全", D("5"), 2, None),
    ("staffing", "配备专职负责人和服务人员，人员与成员比例不低于1:10", D("8"), None, None),
    ("staffing", "服务人员持证上岗或接受专业培训", D("7"), None, None),
    ("services", "日间照料：每周开放不少于5天，提供午餐和休息", D("8"), 3, D("5")),
    ("services", "康复训练：有个人康复计划并按计划开展", D("8"), None, None),
    ("services", "技能培训、文体活动和辅助性就业", D("9"), None, None),
    ("management", "制度上墙，台账（出勤、服务、安全）完整", D("8"), None, None),
    ("management", "经费使用规范，账目清楚", D("7"), None, None),
    ("management", "安全管理：应急预案、食品安全，全年无责任事故", D("5"), 3, None),
    ("satisfaction", "成员及家属满意度调查（满意率×10）", D("10"), None, None),
    ("satisfaction", "社区评价与社会参与", D("10"), None, None),
]
