"""Which role may do what in subsidies (merged by dfed.accounts.roles.sync_roles)."""

from dfed.accounts.roles import Role

_VIEW = [
    "subsidies.view_application",
    "subsidies.view_entitlement",
    "subsidies.view_subsidyrate",
    "subsidies.view_payment",
    "subsidies.view_recoveryitem",
    "subsidies.view_accountcorrection",
]
_CASEWORK = [
    *_VIEW,
    "subsidies.add_application",
    "subsidies.change_application",
    "subsidies.submit_application",
    "subsidies.change_accountcorrection",
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
    ],
    Role.OFFICIAL: [*_VIEW, "subsidies.view_paymentbatch"],
}
