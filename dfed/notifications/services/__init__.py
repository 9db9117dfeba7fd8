"""SMS outbox writes.

Invariants:
- every text is an ``SmsMessage`` row before anything is sent; ``idempotency_key`` is unique, so
  queueing the same key twice returns the existing row and sends nothing more;
- queueing never waits on the broker: the row is committed, then (with a broker) an in-process
  background dispatcher hands it over, and the outbox sweep (beat, every minute) enqueues every
  row not yet handed over or handed over long ago and still queued; ``sms_send`` takes the id;
- every message settles (已发送, 已送达, 失败 or 已退订) within ``SMS_MAX_ATTEMPTS`` attempts:
  an attempt is counted and committed before the gateway is called, so a worker killed during
  it (or a message that kills its worker) uses one up; a status lookup counts as one too; past
  the limit the message is 失败 with the last error and only a deliberate resend tries again;
- a message is handed to the gateway at most once: the attempt is marked in progress under a row
  lock (and a per-message advisory lock on PostgreSQL) before the gateway is called, and a message
  whose earlier attempt has no known outcome is looked up at the gateway before sending again;
- opted-out phones are never sent to (status 已退订).
"""

from .delivery import Outcome, rate_limit_wait, sms_message_deliver, sms_requeue_stale
from .outbox import (
    campaign_ref,
    dispatcher,
    sms_message_queue,
    sms_message_resend,
    sms_opt_out_add,
    sms_outbox_dispatch,
)
from .reports import OPT_OUT_WORDS, sms_delivery_reports_apply

__all__ = [
    "OPT_OUT_WORDS",
    "Outcome",
    "campaign_ref",
    "dispatcher",
    "rate_limit_wait",
    "sms_delivery_reports_apply",
    "sms_message_deliver",
    "sms_message_queue",
    "sms_message_resend",
    "sms_opt_out_add",
    "sms_outbox_dispatch",
    "sms_requeue_stale",
]
