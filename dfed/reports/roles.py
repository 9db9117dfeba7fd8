from dfed.accounts.roles import Role

ROLE_PERMISSIONS = {
    Role.OFFICIAL: ["reports.view_annualsummary", "reports.add_annualsummary"],
    Role.INTEGRITY: ["reports.view_annualsummary", "reports.add_annualsummary"],
    Role.REVIEWER: ["reports.view_annualsummary"],
}
