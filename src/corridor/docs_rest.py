"""The REST API reference of the documentation site, generated from the app's OpenAPI document.

The document comes from the app itself (:func:`openapi_document`), so the reference can never
disagree with what ``corridor serve`` answers. :func:`openapi_markdown` renders it as plain
Markdown (no script, nothing fetched when the page is viewed): one section per endpoint with
its parameters, request body and answers, then every schema with its fields.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_METHODS = ("get", "post", "put", "patch", "delete")


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI document of the web app.

    The app is built on a throw-away SQLite database in a temporary folder, so nothing is
    written where the documentation is built.

    Examples
    --------
    >>> doc = openapi_document()
    >>> "/api/route" in doc["paths"]
    True
    """
    from corridor.web.app import create_app
    from corridor.web.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'docs.db'}", data_dir=Path(folder)
        )
        app = create_app(settings)
        try:
            return dict(app.openapi())
        finally:
            ctx = app.state.ctx
            ctx.jobs.shutdown()
            ctx.store.close()


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _anchor(name: str) -> str:
    return f"schema-{name.lower()}"


def _type(schema: Mapping[str, Any]) -> str:
    """Return a short Markdown description of a JSON schema's type, linking its schemas."""
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            parts = [_type(s) for s in schema[key] if s.get("type") != "null"]
            text = " or ".join(dict.fromkeys(parts))
            nullable = any(s.get("type") == "null" for s in schema[key])
            return f"{text} or null" if nullable else text
    kind = schema.get("type")
    if kind == "array":
        return f"array of {_type(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {_type(schema['additionalProperties'])}"
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    return str(kind or "any")


def _limits(schema: Mapping[str, Any]) -> str:
    parts = []
    for key, label in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
        ("minLength", "length ≥"),
        ("maxLength", "length ≤"),
        ("minItems", "items ≥"),
        ("maxItems", "items ≤"),
    ):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    for sub in schema.get("anyOf", []):
        if sub.get("type") != "null":
            extra = _limits(sub)
            if extra:
                parts.append(extra)
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default `{schema['default']}`")
    return ", ".join(parts)


def _op_anchor(path: str, method: str) -> str:
    text = f"{method}-{path}".lower()
    return "-".join(part for part in "".join(c if c.isalnum() else " " for c in text).split())


def _operation(path: str, method: str, op: Mapping[str, Any]) -> list[str]:
    lines = [f"### `{method.upper()} {path}`", ""]
    if op.get("summary"):
        lines += [f"**{op['summary']}**", ""]
    if op.get("description"):
        lines += [str(op["description"]).replace("``", "`").strip(), ""]
    params = op.get("parameters", [])
    if params:
        lines += ["| parameter | in | type | required | description |", "|---|---|---|---|---|"]
        for p in params:
            schema = p.get("schema", {})
            note = " ".join(x for x in (p.get("description", ""), _limits(schema)) if x)
            lines.append(
                f"| `{p['name']}` | {p.get('in', '')} | {_type(schema)} | "
                f"{'yes' if p.get('required') else ''} | {_cell(note)} |"
            )
        lines.append("")
    body = op.get("requestBody")
    if body:
        for media, content in body.get("content", {}).items():
            lines += [f"Request body ({media}): {_type(content.get('schema', {}))}", ""]
    lines += ["| status | answer |", "|---|---|"]
    for status, answer in op.get("responses", {}).items():
        content = answer.get("content", {})
        kinds = [_type(c.get("schema", {})) for c in content.values() if c.get("schema")]
        what = _cell(answer.get("description", ""))
        if kinds:
            what += ": " + ", ".join(kinds)
        lines.append(f"| {status} | {what} |")
    lines.append("")
    return lines


def _schema(name: str, schema: Mapping[str, Any]) -> list[str]:
    lines = [f"### {name} {{ #{_anchor(name)} }}", ""]
    if schema.get("description"):
        lines += [_cell(schema["description"]), ""]
    props = schema.get("properties", {})
    if not props:
        lines += [f"Type: {_type(schema)}", ""]
        return lines
    required = set(schema.get("required", []))
    lines += ["| field | type | required | description |", "|---|---|---|---|"]
    for field, sub in props.items():
        note = " ".join(x for x in (sub.get("description", ""), _limits(sub)) if x)
        lines.append(
            f"| `{field}` | {_type(sub)} | {'yes' if field in required else ''} | {_cell(note)} |"
        )
    lines.append("")
    return lines


def openapi_markdown(doc: Mapping[str, Any]) -> str:
    """Return the REST API reference as Markdown.

    Parameters
    ----------
    doc
        An OpenAPI 3 document, e.g. from :func:`openapi_document`.

    Examples
    --------
    >>> doc = {"info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
    ...     "summary": "A", "responses": {"200": {"description": "ok"}}}}}}
    >>> "### `GET /a`" in openapi_markdown(doc)
    True
    """
    info = doc.get("info", {})
    lines = [
        "# REST API reference",
        "",
        f"{info.get('title', 'API')} {info.get('version', '')}. Generated from the app's "
        "OpenAPI document at each documentation build; the same document is served by "
        "`corridor serve` at `/openapi.json` (browsable at `/docs`) and is "
        "[included here](openapi.json).",
        "",
        str(info.get("description", "")).strip(),
        "",
    ]
    by_tag: dict[str, list[tuple[str, str, Mapping[str, Any]]]] = {}
    for path, item in doc.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["other"])[0]
                by_tag.setdefault(str(tag), []).append((path, method, op))
    lines += ["## Endpoints", ""]
    lines += ["| method and path | summary |", "|---|---|"]
    for ops in by_tag.values():
        for path, method, op in ops:
            summary = _cell(op.get("summary", ""))
            lines.append(
                f"| [`{method.upper()} {path}`](#{_op_anchor(path, method)}) | {summary} |"
            )
    lines.append("")
    for tag, ops in by_tag.items():
        lines += [f"## {tag.capitalize()}", ""]
        for path, method, op in ops:
            section = _operation(path, method, op)
            section[0] = f"{section[0]} {{ #{_op_anchor(path, method)} }}"
            lines += section
    schemas = doc.get("components", {}).get("schemas", {})
    if schemas:
        lines += ["## Schemas", ""]
        for name in sorted(schemas):
            lines += _schema(name, schemas[name])
    return "\n".join(lines)
