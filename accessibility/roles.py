"""Who may do what in the accessibility app.

Caseworkers and town reviewers apply, take in and assess projects and record construction for
their towns; reviewers approve and accept (and may approve beyond a town's remaining budget with a
reason); officials read.
"""

from dfed.accounts.roles import Role

_VIEW = [
    "accessibility.view_retrofitproject",
    "accessibility.view_retrofititem",
    "accessibility.view_retrofitbudget",
    "accessibility.view_photo",
    "accessibility.view_accessiblecommunity",
    "accessibility.view_checklistitem",
]
_HANDLE = [
    *_VIEW,
    "accessibility.add_retrofitproject",
    "accessibility.handle_retrofitproject",
    "accessibility.add_photo",
    "accessibility.add_accessiblecommunity",
    "accessibility.change_communitycheck",
]

ROLE_PERMISSIONS = {
    Role.CASEWORKER: _HANDLE,
    Role.TOWN_REVIEWER: _HANDLE,
    Role.REVIEWER: [
        *_VIEW,
        "accessibility.approve_retrofitproject",
        "accessibility.override_retrofitbudget",
        "accessibility.add_photo",
        "accessibility.decide_accessiblecommunity",
    ],
    Role.OFFICIAL: list(_VIEW),
}
