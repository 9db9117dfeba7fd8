"""Who may do what in 残疾人之家 (merged into the role groups after every migrate).

Caseworkers and town reviewers run the homes of their own towns (rows are scoped by town);
town reviewers and reviewers score assessments; reviewers approve them; officials read.
"""

from dfed.accounts.roles import Role

_VIEW = [
    "homes.view_home",
    "homes.view_starassessment",
    "homes.view_starassessmenttemplate",
    "homes.view_membership",
    "homes.view_servicerecord",
    "homes.view_attendance",
]
_RUN = [
    "homes.add_home",
    "homes.change_home",
    "homes.add_membership",
    "homes.change_membership",
    "homes.add_servicerecord",
    "homes.add_attendance",
    "homes.change_attendance",
]
_ASSESS = ["homes.add_starassessment", "homes.change_starassessment"]

ROLE_PERMISSIONS = {
    Role.CASEWORKER: _VIEW + _RUN,
    Role.TOWN_REVIEWER: _VIEW + _RUN + _ASSESS,
    Role.REVIEWER: _VIEW + _RUN + _ASSESS + ["homes.approve_starassessment"],
    Role.OFFICIAL: _VIEW,
}
