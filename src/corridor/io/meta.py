"""Reading a network folder's ``network.yaml`` (without the table readers, which need pandas)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError as PydanticValidationError

from corridor.model.network import NetworkMeta
from corridor.model.problems import Problem, ValidationReport

META_FILE = "network.yaml"


def file_label(folder: Path, name: str) -> str:
    """Return how a file is named in messages: the folder's name and the file name."""
    return f"{folder.name}/{name}" if folder.name else name


def read_meta(folder: Path, report: ValidationReport) -> NetworkMeta:
    """Read ``network.yaml`` of a folder (safely); defaults if absent.

    Parameters
    ----------
    folder
        The network folder.
    report
        Collects problems in the metadata file.
    """
    path = folder / META_FILE
    if not path.exists():
        return NetworkMeta(name=folder.name or "network")
    label = file_label(folder, META_FILE)
    from corridor.io.yamlsafe import YamlLimitError, load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except YamlLimitError as exc:
        report.add(Problem("error", label, exc.line, None, f"refused YAML: {exc.problem}"))
        return NetworkMeta(name=folder.name)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        report.add(Problem("error", label, line, None, f"invalid YAML: {exc}"))
        return NetworkMeta(name=folder.name)
    if not isinstance(data, dict):
        report.add(Problem("error", label, 1, None, "must be a mapping of keys to values"))
        return NetworkMeta(name=folder.name)
    data.setdefault("name", folder.name)
    try:
        return NetworkMeta(**{str(k): v for k, v in data.items()})
    except PydanticValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            report.add(Problem("error", label, None, field, err["msg"]))
        return NetworkMeta(name=folder.name)
