"""Which role may do what in subsidies (merged by dfed.accounts.roles.sync_roles)."""

from dfed.accounts.roles import Role

_VIEW = [
    "subsidies.view_application",
    "subsidies.view_entitlement",
    "subsidies.view_subsidyrate",
    "subsidies.view_payment",
    "subsidies.view_recoveryitem",
    "subsidies.view_accountcorrection",
    "subsidies.view_finding",
]
_CASEWORK = [
    *_VIEW,
    "subsidies.add_application",
    "subsidies.change_application",
    "subsidies.submit_application",
    "subsidies.change_accountcorrection",
    "subsidies.change_finding",
]

ROLE_PERMISSIONS = {
    Role.CASEWORKER: _CASEWORK,
    Role.TOWN_REVIEWER: [
        *_CASEWORK,
        "subsidies.town_review_application",
        "subsidies.review_entitlement",
        "subsidies.change_entitlement",
    ],
    Role.REVIEWER: [
        *_VIEW,
        "subsidies.district_review_application",
        "subsidies.change_entitlement",
        "subsidies.review_entitlement",
        "subsidies.add_subsidyrate",
        "subsidies.change_subsidyrate",
        "subsidies.view_paymentbatch",
        "subsidies.add_paymentbatch",
        "subsidies.confirm_paymentbatch",
        "subsidies.export_paymentbatch",
        "subsidies.change_payment",
        "subsidies.change_recoveryitem",
        "subsidies.change_finding",
        "subsidies.confirm_finding",
        "subsidies.change_invitationtemplate",
    ],
    Role.OFFICIAL: [*_VIEW, "subsidies.view_paymentbatch"],
}
