"""Errors raised by services and selectors, mapped to HTTP by the API and the views.

Services know nothing of HTTP; these exceptions carry enough for the edge to
answer clearly: which field was wrong and why (400), that the object does not
exist *for this user* (404), that the actor may not do this (403), or that the
object changed meanwhile / the state forbids it (409).
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str = "", **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class InvalidInput(ServiceError):
    """Field errors: ``errors`` maps a field name to a list of reasons (in Chinese)."""

    status = 400

    def __init__(self, errors: dict[str, list[str]] | str, message: str = "输入有误") -> None:
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        super().__init__(message)
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(f"{k}: {', '.join(v)}" for k, v in self.errors.items())


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409
