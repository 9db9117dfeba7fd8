"""Write each message as a JSON file named by its idempotency key under ``SMS_FILE_PATH``."""

import hashlib
import json
from pathlib import Path

from ..conf import file_path
from . import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def _path(self, message) -> Path:
        name = hashlib.sha1(message.idempotency_key.encode()).hexdigest()[:20]  # noqa: S324
        return Path(file_path()) / f"{name}.json"

    def send(self, message) -> str:
        path = self._path(message)
        path.parent.mkdir(parents=True, exist_ok=True)
        provider_id = f"file-{path.stem}"
        data = {
            "id": provider_id,
            "key": message.idempotency_key,
            "phone": message.phone,
            "body": message.body,
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        return provider_id

    def lookup(self, message) -> str | None:
        path = self._path(message)
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))["id"]
        return None
