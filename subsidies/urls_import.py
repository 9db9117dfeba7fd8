"""Admin pages for spreadsheet imports (upload → preview → confirm)."""

app_name = "imports"

urlpatterns: list = []
