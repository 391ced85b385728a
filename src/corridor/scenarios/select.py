"""Selecting rows of network tables by id, mode, country, corridor or status."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.model.schema import table_schema
from corridor.model.tables import split_list, suggest
from corridor.scenarios.spec import Located, Selector


def _text_values(series: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in series]


def _known(tables: Mapping[str, pd.DataFrame], key: str, table: str) -> list[str]:
    if key == "ids":
        return sorted(set(_text_values(tables[table][table_schema(table).key])) - {""})
    if key == "mode":
        return sorted(set(_text_values(tables["modes"]["mode"])) - {""})
    if key == "country":
        return sorted(set(_text_values(tables["countries"]["country"])) - {""})
    if key == "corridor":
        return sorted({c for cell in tables["links"]["corridor"] for c in split_list(cell)})
    return list(table_schema(table).column("status").allowed)


def country_mask(
    tables: Mapping[str, pd.DataFrame], table: str, codes: set[str]
) -> NDArray[np.bool_]:
    """Return which rows of ``table`` are in (or, for links, touch or cross) these countries.

    Parameters
    ----------
    tables
        The network's tables.
    table
        ``nodes``, ``links``, ``transfers`` or ``countries``.
    codes
        Country codes.
    """
    nodes = tables["nodes"]
    node_country = dict(
        zip(_text_values(nodes["node_id"]), _text_values(nodes["country"]), strict=True)
    )
    frame = tables[table]
    if table == "nodes":
        return np.array([c in codes for c in _text_values(frame["country"])], dtype=bool)
    if table == "countries":
        return np.array([c in codes for c in _text_values(frame["country"])], dtype=bool)
    if table == "transfers":
        return np.array(
            [node_country.get(n, "") in codes for n in _text_values(frame["node_id"])], dtype=bool
        )
    out = []
    for listed, a, b in zip(frame["countries"], frame["from_node"], frame["to_node"], strict=True):
        touched = set(split_list(listed))
        touched.update(node_country.get(str(n), "") for n in (a, b) if not pd.isna(n))
        out.append(bool(touched & codes))
    return np.array(out, dtype=bool)


def select(
    tables: Mapping[str, pd.DataFrame],
    table: str,
    selector: Selector,
    path: str,
    out: Located,
) -> NDArray[np.bool_]:
    """Return the rows of ``table`` the selector picks; unknown values are reported.

    Parameters
    ----------
    tables
        The network's tables, as changed so far.
    table
        Table the selector applies to.
    selector
        The criteria (combined with AND; values of one criterion with OR).
    path
        YAML path of the selector, for messages.
    out
        Collects problems (unknown ids, values that match nothing).
    """
    frame = tables[table]
    mask = np.ones(len(frame), dtype=bool)
    for key, values in selector.criteria().items():
        if key == "ids" and values == ["*"]:
            continue
        known = _known(tables, key, table)
        unknown = [v for v in values if v not in known]
        for value in unknown:
            noun = {"ids": f"{table} id"}.get(key, key)
            out.add(f"{path}.{key}", f"unknown {noun} {value!r}{suggest(value, known)}")
        wanted = set(values)
        if key == "ids":
            mask &= frame[table_schema(table).key].isin(wanted).fillna(False).to_numpy(bool)
        elif key == "country":
            mask &= country_mask(tables, table, wanted)
        elif key == "mode" and table == "links":
            mask &= frame["mode"].isin(wanted).fillna(False).to_numpy(bool)
        elif key == "mode":
            mask &= (
                (frame["from_mode"].isin(wanted) | frame["to_mode"].isin(wanted))
                .fillna(False)
                .to_numpy(bool)
            )
        elif key == "corridor":
            mask &= np.array(
                [bool(set(split_list(c)) & wanted) for c in frame["corridor"]], dtype=bool
            )
        elif key == "status":
            status = frame["status"].fillna("open")
            mask &= status.isin(wanted).to_numpy(bool)
        if unknown:
            return np.zeros(len(frame), dtype=bool)
    if not mask.any():
        out.add(path, f"the selector matches no row of {table}")
    return mask
