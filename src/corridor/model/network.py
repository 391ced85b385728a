"""The network: typed tables plus metadata. Graphs and results are derived from it."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from corridor.model.origins import RowOrigin
from corridor.model.schema import TABLES, table_schema

if TYPE_CHECKING:
    import pandas as pd


class NetworkMeta(BaseModel):
    """Metadata of a network folder, read from its ``network.yaml``.

    Attributes
    ----------
    name
        Short name of the network.
    version
        Version of the data.
    description
        One paragraph on what the network covers.
    extends
        Name of a bundled network or path of a network folder that this folder adds rows to.
        Rows whose id already exists in the base replace the base row.
    license
        Licence of the data.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "unnamed"
    version: str = ""
    description: str = ""
    extends: str | None = None
    license: str = ""


@dataclass(frozen=True, eq=False)
class Network:
    """A multimodal transport network as typed tables.

    The tables follow the schema in ``corridor/schema``. Treat them as read-only: every
    operation that changes a network (a scenario, an extension) returns a new ``Network``.

    Attributes
    ----------
    meta
        Metadata (name, version, ...).
    tables
        One DataFrame per table name in :data:`corridor.model.schema.TABLES`.
    origins
        For each table, where each row came from (file and line), used in messages.
    token
        Identifies the files a network was read from (their content and corridor's code):
        views derived from the network are cached on disk under it. ``None`` for a network
        made or changed in memory, whose views are cached in memory only. Never copied to a
        new network (a scenario's network gets none).

    Notes
    -----
    A pickled network keeps each table as its own pickle, unpickled when first read, so a
    process that takes a network from the cache and only uses views derived from it (a
    route from the CLI) never imports pandas.
    """

    meta: NetworkMeta
    tables: Mapping[str, pd.DataFrame]
    origins: Mapping[str, tuple[RowOrigin, ...]] = field(default_factory=dict)
    token: str | None = field(default=None, init=False, repr=False)

    def with_token(self, token: str) -> Network:
        """Return this network (same tables) marked with the token of the files it came from.

        Parameters
        ----------
        token
            A digest of the files' content and of corridor's code.
        """
        marked = Network(meta=self.meta, tables=self.tables, origins=self.origins)
        object.__setattr__(marked, "token", token)
        return marked

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle, (self.meta, StoredTables.of(self.tables), self.origins, self.token))

    @classmethod
    def from_tables(
        cls, tables: Mapping[str, pd.DataFrame], meta: NetworkMeta | None = None
    ) -> Network:
        """Build a network from already typed tables; missing tables are empty.

        Parameters
        ----------
        tables
            DataFrames keyed by table name, with the schema's columns.
        meta
            Metadata; a default one if omitted.
        """
        from corridor.model.tables import empty_table

        full = {
            name: (
                tables[name].reset_index(drop=True)
                if name in tables
                else empty_table(table_schema(name))
            )
            for name in TABLES
        }
        return cls(meta=meta or NetworkMeta(), tables=full)

    @property
    def nodes(self) -> pd.DataFrame:
        """The nodes table."""
        return self.tables["nodes"]

    @property
    def links(self) -> pd.DataFrame:
        """The links table."""
        return self.tables["links"]

    @property
    def transfers(self) -> pd.DataFrame:
        """The transfers table."""
        return self.tables["transfers"]

    @property
    def commodities(self) -> pd.DataFrame:
        """The commodities table."""
        return self.tables["commodities"]

    @property
    def countries(self) -> pd.DataFrame:
        """The countries table."""
        return self.tables["countries"]

    @property
    def modes(self) -> pd.DataFrame:
        """The modes table."""
        return self.tables["modes"]

    @property
    def sources(self) -> pd.DataFrame:
        """The sources table."""
        return self.tables["sources"]

    def origin(self, table: str, row: int) -> RowOrigin:
        """Return where row ``row`` (0-based position) of ``table`` came from."""
        rows = self.origins.get(table, ())
        if row < len(rows):
            return rows[row]
        return RowOrigin(file=f"{table} (in memory)", line=row + 2)

    def content_hash(self) -> str:
        """Return a SHA-256 hash of the tables' content, independent of file format.

        Two networks with equal tables have equal hashes, whether read from CSV or Parquet.
        """
        digest = hashlib.sha256()
        for name in TABLES:
            digest.update(name.encode())
            digest.update(self.tables[name].to_csv(index=False, lineterminator="\n").encode())
        return digest.hexdigest()

    def equals(self, other: Network) -> bool:
        """Return True if both networks have equal tables (metadata is not compared)."""
        return all(self.tables[name].equals(other.tables[name]) for name in TABLES)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(self.tables[name])} {name}" for name in TABLES)
        return f"<Network {self.meta.name!r}: {counts}>"


def _unpickle(
    meta: NetworkMeta,
    tables: Mapping[str, pd.DataFrame],
    origins: Mapping[str, tuple[RowOrigin, ...]],
    token: str | None,
) -> Network:
    network = Network(meta=meta, tables=tables, origins=origins)
    return network.with_token(token) if token is not None else network


class StoredTables(Mapping[str, "pd.DataFrame"]):
    """Tables kept as pickles until first read (reading one imports pandas, not before).

    Parameters
    ----------
    pickles
        One pickle per table name.
    """

    def __init__(self, pickles: Mapping[str, bytes]) -> None:
        self._pickles = dict(pickles)
        self._tables: dict[str, pd.DataFrame] = {}

    @classmethod
    def of(cls, tables: Mapping[str, pd.DataFrame]) -> StoredTables:
        """Return ``tables`` as stored tables (themselves if they already are).

        Parameters
        ----------
        tables
            DataFrames keyed by table name.
        """
        if isinstance(tables, StoredTables):
            return tables
        return cls(
            {n: pickle.dumps(t, protocol=pickle.HIGHEST_PROTOCOL) for n, t in tables.items()}
        )

    def __getitem__(self, name: str) -> pd.DataFrame:
        table = self._tables.get(name)
        if table is None:
            table = self._tables.setdefault(name, pickle.loads(self._pickles[name]))
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(self._pickles)

    def __len__(self) -> int:
        return len(self._pickles)

    def __reduce__(self) -> tuple[Any, ...]:
        return (StoredTables, (self._pickles,))
