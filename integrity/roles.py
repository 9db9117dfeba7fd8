from dfed.accounts.roles import Role

MODELS = [
    "department",
    "staff",
    "responsibilityletter",
    "commitment",
    "inspection",
    "rectification",
    "studysession",
    "talk",
    "riskpoint",
    "majordecision",
    "servicevisit",
    "remindercampaign",
]

ROLE_PERMISSIONS = {
    Role.INTEGRITY: [
        f"integrity.{action}_{model}" for model in MODELS for action in ("view", "add", "change")
    ]
    + ["integrity.view_talk_content"],
    Role.OFFICIAL: [f"integrity.view_{model}" for model in MODELS],
}
