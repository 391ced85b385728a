"""Errors as HTTP answers: every problem a user can fix is a 4xx with the field and the reason.

The body of every error has FastAPI's shape, so clients read one format::

    {"detail": [{"loc": ["body", "origin"], "msg": "Unknown node 'Xain'. ...",
                 "type": "not_found", "input": "Xain", "suggestions": ["xian"]}]}
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from corridor.errors import (
    CorridorError,
    InvalidRequestError,
    NameNotFoundError,
    NoRouteError,
    ValidationError,
)
from corridor.web.db.store import ConflictError, NotFoundError


class ApiError(Exception):
    """An error answer with a status code and FastAPI-style detail items.

    Parameters
    ----------
    status
        HTTP status code.
    loc
        Where the problem is, e.g. ``["body", "origin"]``.
    msg
        What is wrong.
    type_
        A short machine-readable kind (``not_found``, ``no_route``, ``limit``, ...).
    headers
        Headers of the answer (``Retry-After``, ``WWW-Authenticate``).
    **extra
        More keys for the detail item (``input``, ``suggestions``).
    """

    def __init__(
        self,
        status: int,
        loc: list[str | int],
        msg: str,
        type_: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(msg)
        self.status = status
        self.headers = headers
        self.items: list[dict[str, Any]] = [{"loc": loc, "msg": msg, "type": type_, **extra}]


def invalid_request(exc: InvalidRequestError, where: str = "body") -> ApiError:
    """Return the 422 answer to an invalid request field, located at ``[where, field]``.

    Parameters
    ----------
    exc
        The error a service raised.
    where
        ``body`` or ``query``.
    """
    extra: dict[str, Any] = {}
    if exc.value is not None:
        extra = {"input": exc.value, "suggestions": exc.suggestions}
    return ApiError(422, [where, exc.field], str(exc), exc.reason, **extra)


def _leaves(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, [*path, key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, [*path, i])
    else:
        yield path, value


def locate(name: str, body: dict[str, Any]) -> list[str | int]:
    """Return the location of the field of ``body`` that holds ``name``.

    Examples
    --------
    >>> locate("Xain", {"origin": "Xian", "via": ["Aktau", "Xain"]})
    ['body', 'via', 1]
    >>> locate("nowhere", {"origin": "Xian"})
    ['body']
    """
    for path, value in _leaves(body, []):
        if isinstance(value, str) and value == name:
            return ["body", *path]
    return ["body"]


@contextmanager
def located(body: dict[str, Any]) -> Iterator[None]:
    """Turn corridor's errors raised inside the block into :class:`ApiError` naming the field."""
    try:
        yield
    except NameNotFoundError as exc:
        raise ApiError(
            422,
            locate(exc.name, body),
            str(exc),
            "not_found",
            input=exc.name,
            kind=exc.kind,
            suggestions=exc.suggestions,
        ) from None
    except InvalidRequestError as exc:
        raise invalid_request(exc) from None
    except NoRouteError as exc:
        raise ApiError(422, ["body"], str(exc), "no_route") from None
    except ValidationError as exc:
        raise ApiError(422, ["body"], str(exc), "invalid_network") from None
    except (NotFoundError, ConflictError):
        raise
    except CorridorError as exc:
        raise ApiError(422, ["body"], str(exc), "invalid") from None


def error_body(exc: Exception) -> dict[str, Any]:
    """Return the JSON body stored with a failed run."""
    if isinstance(exc, ApiError):
        return {"status": exc.status, "detail": exc.items, "message": str(exc)}
    return {"message": str(exc) or type(exc).__name__}


def json_safe(value: Any) -> Any:
    """Return ``value`` with what JSON cannot carry made printable.

    Non-finite floats become their text (``"inf"``, ``"nan"``) and strings with lone
    surrogates get them escaped, so an answer that echoes a bad input can always be encoded.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def install(app: FastAPI) -> None:
    """Register the handlers that turn corridor's errors into JSON answers."""

    async def request_invalid(_: Request, exc: Exception) -> JSONResponse:
        # FastAPI's own handler echoes the input and fails (500) on NaN, Infinity, 1e400 and
        # lone surrogates: answer 422 with the same shape, the input made printable.
        assert isinstance(exc, RequestValidationError)
        detail = json_safe(jsonable_encoder(exc.errors()))
        return JSONResponse({"detail": detail}, status_code=422)

    async def api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return JSONResponse({"detail": exc.items}, status_code=exc.status, headers=exc.headers)

    async def not_found(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NotFoundError)
        item = {
            "loc": ["path", exc.kind],
            "msg": str(exc),
            "type": "not_found",
            "input": exc.name,
            "suggestions": exc.suggestions,
        }
        return JSONResponse({"detail": [item]}, status_code=404)

    async def conflict(_: Request, exc: Exception) -> JSONResponse:
        item = {"loc": ["body", "name"], "msg": str(exc), "type": "conflict"}
        return JSONResponse({"detail": [item]}, status_code=409)

    async def invalid_field(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidRequestError)
        where = "query" if request.method == "GET" else "body"
        return JSONResponse({"detail": invalid_request(exc, where).items}, status_code=422)

    async def corridor_error(_: Request, exc: Exception) -> JSONResponse:
        item = {"loc": ["body"], "msg": str(exc), "type": "invalid"}
        return JSONResponse({"detail": [item]}, status_code=422)

    app.add_exception_handler(RequestValidationError, request_invalid)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(InvalidRequestError, invalid_field)
    app.add_exception_handler(CorridorError, corridor_error)
