"""Demo data for reports: nothing of its own; rebuild the subsidy summary from the demo batches
(idempotent)."""

from .summaries import payment_summary_refresh


def load(*, stdout=None) -> None:
    rows = payment_summary_refresh()
    if stdout is not None:
        stdout.write(f"统计报表：补贴发放汇总 {rows} 行。")
