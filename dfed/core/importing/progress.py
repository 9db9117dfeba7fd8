"""Progress of a long import, kept in the cache and polled by static/js/dfed.js as
``{state, percent, message, redirect}``."""

from django.core.cache import cache

TIMEOUT = 24 * 3600


def _key(job: str) -> str:
    return f"imports:job:{job}"


def job_get(job: str) -> dict | None:
    return cache.get(_key(job))


def job_set(job: str, **fields) -> dict:
    data = job_get(job) or {"state": "pending", "percent": 0, "message": "", "redirect": ""}
    data.update(fields)
    cache.set(_key(job), data, TIMEOUT)
    return data


def job_progress(job: str):
    """A callback ``(fraction, message)`` that records progress for the job."""

    def report(fraction: float, message: str = "") -> None:
        fields = {"state": "running", "percent": round(max(0.0, min(fraction, 1.0)) * 100, 1)}
        if message:
            fields["message"] = message
        job_set(job, **fields)

    return report
