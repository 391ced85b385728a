"""Forgiving look-up of node, country, mode and commodity names typed by users.

Names match their id, display name or any alias, ignoring case, diacritics, punctuation and
spacing: ``alma-ata`` finds Almaty, ``Turkiye`` and ``turkey`` find Türkiye. A name that matches
nothing raises :class:`~corridor.errors.NameNotFoundError` with a "did you mean".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridor.errors import NameNotFoundError
from corridor.io.viewcache import derived
from corridor.model.text import split_list

if TYPE_CHECKING:
    from corridor.model.network import Network

_FOLD = str.maketrans({"ı": "i", "ş": "s", "ğ": "g", "ə": "a", "ß": "ss", "ø": "o", "ł": "l"})


def fold(name: str) -> str:
    """Return the comparison key of a name: lower case, no diacritics, no punctuation.

    Examples
    --------
    >>> fold("Türkiye")
    'turkiye'
    >>> fold("  Alma-Ata ")
    'almaata'
    >>> fold("Xi'an")
    'xian'
    """
    text = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", text.translate(_FOLD))


_GENERIC = re.compile(r"\b(port|of|the|station|terminal)\b|\(.*?\)", re.IGNORECASE)


def _short(name: str) -> str:
    """Drop generic words: ``Port of Aktau`` -> ``Aktau``, ``Taman port`` -> ``Taman``."""
    return _GENERIC.sub(" ", name)


def _shorter(name: str, aliases: list[str]) -> list[str]:
    """Lowest-priority keys: names without generic words, and text in parentheses."""
    return [_short(t) for t in (name, *aliases)] + re.findall(r"\((.*?)\)", name)


@dataclass(frozen=True)
class NameIndex:
    """Folded names of one kind of object, mapped to their ids."""

    kind: str
    ids: tuple[str, ...]
    keys: dict[str, str]
    labels: dict[str, str]

    @classmethod
    def build(cls, kind: str, entries: Iterable[tuple[str, str, list[str]]]) -> NameIndex:
        """Index ``(id, display name, aliases)`` entries; ids win over names over aliases."""
        keys: dict[str, str] = {}
        labels: dict[str, str] = {}
        entries = list(entries)
        for priority in range(4):
            for ident, name, aliases in entries:
                labels[ident] = name
                names = [[ident], [name], aliases, _shorter(name, aliases)][priority]
                for text in names:
                    if fold(text):
                        keys.setdefault(fold(text), ident)
        return cls(kind=kind, ids=tuple(e[0] for e in entries), keys=keys, labels=labels)

    def resolve(self, name: str) -> str:
        """Return the id ``name`` refers to.

        Raises
        ------
        NameNotFoundError
            If nothing matches; the message suggests the closest names.
        """
        key = fold(name)
        for candidate in (key, key[:-1] if key.endswith("s") else key):
            if candidate in self.keys:
                return self.keys[candidate]
        close = difflib.get_close_matches(key, list(self.keys), n=3, cutoff=0.6)
        if not close:
            # Prefix matches help with long names ("Aktau" for "Aktau port").
            close = (
                [k for k in self.keys if k.startswith(key) or key.startswith(k)][:3] if key else []
            )
        hints = list(dict.fromkeys(self.keys[k] for k in close))
        suggestion = (
            " Did you mean " + " or ".join(f"{self.labels[h]!r} ({h})" for h in hints) + "?"
            if hints
            else ""
        )
        raise NameNotFoundError(
            f"Unknown {self.kind} {name!r}.{suggestion}", self.kind, name, hints
        )


@dataclass(frozen=True)
class Names:
    """Name indexes of a network's nodes, countries, modes and commodities."""

    nodes: NameIndex
    countries: NameIndex
    modes: NameIndex
    commodities: NameIndex
    node_country: dict[str, str]
    mode_family: dict[str, str]
    link_ids: frozenset[str]
    source_kind: dict[str, str]

    def node(self, name: str) -> str:
        """Resolve a node name; a country name gets a hint listing the country's nodes."""
        try:
            return self.nodes.resolve(name)
        except NameNotFoundError:
            if fold(name) in self.countries.keys:
                country = self.countries.keys[fold(name)]
                examples = [n for n in self.nodes.ids if self.node_country[n] == country][:6]
                raise NameNotFoundError(
                    f"{name!r} is a country, not a node; give one of its nodes, e.g. "
                    + ", ".join(repr(self.nodes.labels[n]) for n in examples),
                    "node",
                    name,
                    examples,
                ) from None
            raise

    def modes_named(self, name: str) -> list[str]:
        """Resolve a mode id or name, or a family (``rail``, ``sea``) to all its modes."""
        key = fold(name)
        family = [m for m, f in self.mode_family.items() if fold(f) == key]
        return family or [self.modes.resolve(name)]


def _entries(*columns: Iterable[object]) -> list[tuple[str, str, list[str]]]:
    return [
        (str(ident), str(name), split_list(aliases))
        for ident, name, aliases in zip(*columns, strict=True)
    ]


def names(network: Network) -> Names:
    """Return the (cached) name indexes of ``network``.

    Parameters
    ----------
    network
        The network whose names to index.
    """
    return derived(network, "names", (), lambda: _build_names(network))


def _build_names(network: Network) -> Names:
    nodes, countries = network.nodes, network.countries
    modes, commodities = network.modes, network.commodities
    return Names(
        nodes=NameIndex.build("node", _entries(nodes["node_id"], nodes["name"], nodes["aliases"])),
        countries=NameIndex.build(
            "country",
            _entries(countries["country"], countries["name"], countries["aliases"]),
        ),
        modes=NameIndex.build("mode", _entries(modes["mode"], modes["name"], [None] * len(modes))),
        commodities=NameIndex.build(
            "commodity",
            _entries(commodities["commodity_id"], commodities["name"], commodities["unit"]),
        ),
        node_country={
            str(n): str(c) for n, c in zip(nodes["node_id"], nodes["country"], strict=True)
        },
        mode_family={str(m): str(f) for m, f in zip(modes["mode"], modes["family"], strict=True)},
        link_ids=frozenset(str(x) for x in network.links["link_id"]),
        source_kind={
            str(s): str(k)
            for s, k in zip(network.sources["source_id"], network.sources["kind"], strict=True)
        },
    )
