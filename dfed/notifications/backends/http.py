"""A JSON-over-HTTP SMS gateway (standard library only).

``POST SMS_GATEWAY_URL`` with ``{"ref", "phone", "body"}`` and ``Authorization: Bearer KEY``;
a 2xx answer carries ``{"id": provider_id}``. ``GET SMS_GATEWAY_URL?ref=...`` answers 200 with
the id of an accepted message or 404. 5xx, timeouts and connection errors are temporary;
other 4xx are permanent.

Delivery reports (回执) come back as ``POST /notifications/gateway/reports/`` with a JSON body::

    {"reports": [{"id": "<provider id>", "ref": "<our ref>", "status": "delivered" | "failed",
                  "code": "<the provider's status code, e.g. DELIVRD / UNDELIV>"}],
     "replies": [{"phone": "139…", "text": "TD"}]}

authenticated by the headers ``X-Sms-Timestamp`` (Unix seconds) and ``X-Sms-Signature``: the hex
HMAC-SHA256 under ``SMS_GATEWAY_CALLBACK_SECRET`` of ``"<timestamp>." + body``. A report older
(or newer) than ``SMS_GATEWAY_CALLBACK_MAX_AGE`` seconds is rejected, so a captured request cannot
be replayed later; within the window a repeated request is recognised and applied once.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from ..conf import callback_max_age, callback_secret, gateway_key, gateway_timeout, gateway_url
from . import BaseSmsBackend, PermanentError, TemporaryError


class SmsBackend(BaseSmsBackend):
    def __init__(self, url: str | None = None, key: str | None = None, timeout=None):
        self.url = url or gateway_url()
        self.key = key if key is not None else gateway_key()
        self.timeout = timeout or gateway_timeout()
        if not self.url:
            raise PermanentError("未配置短信网关地址 SMS_GATEWAY_URL")

    def _request(self, request):
        request.add_header("Authorization", f"Bearer {self.key}")
        request.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode("utf-8", "replace")
            return exc.code, detail.encode()
        except TimeoutError as exc:
            raise TemporaryError(f"网关超时：{exc}", maybe_delivered=True) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TemporaryError(f"网关超时：{exc.reason}", maybe_delivered=True) from exc
            # refused / unreachable: the request never left
            raise TemporaryError(f"网关无法连接：{exc.reason}") from exc
        except (ConnectionError, OSError) as exc:
            raise TemporaryError(f"网关连接中断：{exc}", maybe_delivered=True) from exc

    def send(self, message) -> str:
        payload = {"ref": message.idempotency_key, "phone": message.phone, "body": message.body}
        request = urllib.request.Request(  # noqa: S310
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        status, body = self._request(request)
        if status >= 500:
            raise TemporaryError(f"网关错误 HTTP {status}")
        if status >= 400:
            text = body.decode("utf-8", "replace")[:200]
            raise PermanentError(f"网关拒绝 HTTP {status}：{text}")
        try:
            return str(json.loads(body)["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise TemporaryError(f"网关应答无法解析：{body[:100]!r}") from exc

    def lookup(self, message) -> str | None:
        query = urllib.parse.urlencode({"ref": message.idempotency_key})
        sep = "&" if "?" in self.url else "?"
        status, body = self._request(urllib.request.Request(f"{self.url}{sep}{query}"))  # noqa: S310
        if status == 404:
            return None
        if status >= 400:
            raise TemporaryError(f"网关查询失败 HTTP {status}")
        return str(json.loads(body)["id"])


class ReportRejected(Exception):
    """A delivery-report request that is not authentic or too old; the message says why."""


def report_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body`` under ``secret``."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def report_verify(*, body: bytes, timestamp: str, signature: str, now: float | None = None) -> None:
    """Raise ReportRejected unless the request is signed with the shared secret and fresh."""
    secret = callback_secret()
    if not secret:
        raise ReportRejected("未配置回执密钥 SMS_GATEWAY_CALLBACK_SECRET")
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        raise ReportRejected("缺少或无效的时间戳 X-Sms-Timestamp") from None
    expected = report_signature(secret, str(timestamp), body)
    if not hmac.compare_digest(expected, (signature or "").strip().lower()):
        raise ReportRejected("签名不正确")
    now = time.time() if now is None else now
    if abs(now - sent_at) > callback_max_age():
        raise ReportRejected("时间戳过期（可能是重放）")


def report_parse(body: bytes) -> tuple[list[dict], list[dict]]:
    """(reports, replies) from a verified body; raise ReportRejected on a malformed one."""
    try:
        data = json.loads(body.decode("utf-8"))
        reports = [
            {
                "id": str(r.get("id") or ""),
                "ref": str(r.get("ref") or ""),
                "delivered": str(r["status"]).lower() in ("delivered", "delivrd", "success"),
                "code": str(r.get("code") or r["status"])[:50],
            }
            for r in data.get("reports", [])
        ]
        replies = [
            {"phone": str(r["phone"]), "text": str(r.get("text") or "")}
            for r in data.get("replies", [])
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReportRejected(f"回执格式错误：{exc}") from exc
    return reports, replies
