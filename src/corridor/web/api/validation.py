"""``GET /api/validation``: the model against published observations (as ``corridor validate``)."""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from corridor.web.api import deps
from corridor.web.api.deps import AppContext

router = APIRouter(prefix="/api", tags=["validation"])
Ctx = Annotated[AppContext, Depends(deps.context)]
Kind = Literal["transit_time", "segment_time", "dwell", "price", "distance", "volume", "share"]

_CACHE: dict[tuple[str, str | None], dict[str, Any]] = {}
_LOCK = threading.Lock()


@router.get(
    "/validation",
    summary="Every published observation against the model, with a summary per kind",
    response_description="The same JSON document as `corridor validate --json`",
)
def validation(
    ctx: Ctx,
    kind: Annotated[Kind | None, Query(description="Only observations of this kind.")] = None,
) -> dict[str, Any]:
    """Run (once per server and kind) every observation of the served network."""
    from corridor.validation import run_validation

    name = ctx.settings.network
    key = (name, kind)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = run_validation(name, kind=kind).to_dict()
        return _CACHE[key]
