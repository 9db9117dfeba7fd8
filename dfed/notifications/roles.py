from dfed.accounts.roles import Role

ROLE_PERMISSIONS = {
    Role.INTEGRITY: [
        "notifications.view_smsmessage",
        "notifications.change_smsmessage",
        "notifications.view_smsoptout",
        "notifications.add_smsoptout",
    ],
}
