"""Probabilistic linkage with Splink on DuckDB: train, score pairs, cluster (no Django).

The engine works on an Arrow table of features (``features_table``), one row per agency record,
and knows nothing of the database: the services feed it ``Person`` rows and write its answers
back; the benchmark feeds it a synthetic million. Everything it runs is Splink with the settings
in ``spec.py``, so a saved model (``TrainedModel.splink_model``) runs unchanged on Splink's Spark
backend for a larger area (docs/how-to/linkage.md).

Training needs no labelled data from people. NHS numbers, where two records both have one, are
near-certain evidence, so they serve as labels: the m probabilities (how often true matches agree
at each level) come from records that share an NHS number, the u probabilities (how often
non-matches agree by chance) from random pairs. The NHS number comparison's own m probabilities
cannot be learnt that way and are set (a transcription error in a check-digited number is rare),
and every m probability is kept above a floor so that no level can rule a match out absolutely.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from safeshare.linkage import spec
from safeshare.linkage.features import FEATURE_COLUMNS, Features

# Progress: (stage, done, total); total is 0 while a stage cannot count its work.
Progress = Callable[[str, int, int], None]

# The NHS number comparison's m probabilities (two records of one person with NHS numbers).
NHS_NUMBER_M: Final = {"The same NHS number": 0.999, "Different": 0.001}
# No level's m probability is allowed below this: a level seen in no labelled match is rare,
# not impossible.
M_FLOOR: Final = 1e-4
TF_COLUMNS: Final = ("given_name", "family_name")

_SCHEMA: Final = pa.schema(
    [
        ("unique_id", pa.string()),
        ("agency", pa.string()),
        ("given_name", pa.string()),
        ("given_canonical", pa.string()),
        ("family_name", pa.string()),
        ("previous_family_name", pa.string()),
        ("dob", pa.string()),
        ("dob_swapped", pa.string()),
        ("birth_year", pa.int32()),
        ("sex", pa.string()),
        ("postcode", pa.string()),
        ("postcode_sector", pa.string()),
        ("postcode_district", pa.string()),
        ("nhs_number", pa.string()),
    ]
)


@dataclass(frozen=True)
class TrainedModel:
    splink_model: dict[str, Any]
    term_frequencies: dict[str, dict[str, float]]
    records: int


def features_table(rows: Iterable[tuple[str, str, Features]]) -> pa.Table:
    """(record id, agency, features) rows as the Arrow table the engine links."""
    columns: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    unique_ids, agencies = columns["unique_id"], columns["agency"]
    feature_lists = [(columns[name], name) for name in FEATURE_COLUMNS]
    for record_id, agency, features in rows:
        unique_ids.append(record_id)
        agencies.append(agency)
        for values, name in feature_lists:
            values.append(features[name])  # type: ignore[literal-required]
    return pa.table(columns, schema=_SCHEMA)


def no_progress(stage: str, done: int, total: int) -> None:
    return None


class LinkageEngine:
    """One in-memory DuckDB holding the records being linked."""

    def __init__(self, records: pa.Table, *, threads: int | None = None) -> None:
        from splink import DuckDBAPI  # Splink is heavy to import: only when linking

        self._con = duckdb.connect()
        if threads:
            self._con.execute(f"SET threads TO {int(threads)}")
        self._con.register("__incoming", records)
        self._con.execute("CREATE TABLE records AS SELECT * FROM __incoming")
        self._con.unregister("__incoming")
        self.record_count = len(records)
        self._db_api = DuckDBAPI(self._con)
        self._records = self._db_api.register("records")

    def close(self) -> None:
        self._con.close()

    def _linker(self, settings: dict[str, Any]) -> Any:
        from splink import Linker

        return Linker(self._records, settings, log_level=logging.ERROR)

    # --- training ------------------------------------------------------------------------------

    def train(
        self, *, seed: int = 1, max_pairs: float = 1e6, progress: Progress = no_progress
    ) -> TrainedModel:
        """Estimate the model's parameters from the records themselves (see the module doc)."""
        from splink import block_on

        linker = self._linker(spec.settings())
        progress("Estimating how likely two records are to match", 0, 0)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("nhs_number")], recall=0.6
        )
        progress("Estimating chance agreement from random pairs", 0, 0)
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        progress("Estimating agreement among records sharing an NHS number", 0, 0)
        linker.training.estimate_m_from_label_column("nhs_number")
        model = _with_set_probabilities(linker.misc.save_model_to_json())
        return TrainedModel(
            splink_model=model,
            term_frequencies=self.term_frequencies(),
            records=self.record_count,
        )

    def term_frequencies(self) -> dict[str, dict[str, float]]:
        """How common each name is among the records (Splink's term frequency tables)."""
        tables: dict[str, dict[str, float]] = {}
        for column in TF_COLUMNS:
            rows = self._con.execute(
                f'SELECT "{column}", count(*) / sum(count(*)) OVER () FROM records '  # noqa: S608
                f'WHERE "{column}" IS NOT NULL GROUP BY "{column}"'
            ).fetchall()
            tables[column] = {value: float(freq) for value, freq in rows}
        return tables

    # --- scoring and clustering ----------------------------------------------------------------

    def predict(
        self,
        splink_model: dict[str, Any],
        *,
        threshold: float,
        progress: Progress = no_progress,
    ) -> pa.Table:
        """Every blocked pair at or above ``threshold``: unique_id_l, unique_id_r (l < r),
        match_weight and match_probability."""
        linker = self._linker(splink_model)
        progress("Scoring candidate pairs", 0, 0)
        started = time.perf_counter()
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        pairs = self._con.sql(
            "SELECT unique_id_l, unique_id_r, match_weight, match_probability "  # noqa: S608
            f"FROM {predictions.physical_name}"
        ).to_arrow_table()
        predictions.drop_table_from_database_and_remove_from_cache()
        progress(f"Scored {len(pairs):,} pairs in {time.perf_counter() - started:.1f} s", 0, 0)
        return pairs

    def predict_new(
        self,
        splink_model: dict[str, Any],
        *,
        new_ids: list[str],
        threshold: float,
        progress: Progress = no_progress,
    ) -> pa.Table:
        """Pairs involving at least one of ``new_ids``: new against existing records and new
        against new, scored with the trained model (no retraining), as ``predict`` returns."""
        if not new_ids:
            return pa.table(
                {
                    "unique_id_l": pa.array([], pa.string()),
                    "unique_id_r": pa.array([], pa.string()),
                    "match_weight": pa.array([], pa.float64()),
                    "match_probability": pa.array([], pa.float64()),
                }
            )
        linker = self._linker(splink_model)
        progress("Scoring new records", 0, 0)
        for column in TF_COLUMNS:
            linker.table_management.compute_tf_table(column)
        self._con.register("__new_ids", pa.table({"unique_id": pa.array(new_ids, pa.string())}))
        self._con.execute(
            "CREATE OR REPLACE TABLE new_records AS SELECT * FROM records "
            "WHERE unique_id IN (SELECT unique_id FROM __new_ids)"
        )
        self._con.execute(
            "CREATE OR REPLACE TABLE old_records AS SELECT * FROM records "
            "WHERE unique_id NOT IN (SELECT unique_id FROM __new_ids)"
        )
        self._con.unregister("__new_ids")
        new = self._db_api.register("new_records")
        old = self._db_api.register("old_records")
        results = [
            linker.inference.predict_within(new, threshold_match_probability=threshold),
            linker.inference.predict_between(new, old, threshold_match_probability=threshold),
        ]
        tables = []
        for predictions in results:
            tables.append(
                self._con.sql(
                    "SELECT least(unique_id_l, unique_id_r) AS unique_id_l, "  # noqa: S608
                    "greatest(unique_id_l, unique_id_r) AS unique_id_r, "
                    f"match_weight, match_probability FROM {predictions.physical_name}"
                ).to_arrow_table()
            )
            predictions.drop_table_from_database_and_remove_from_cache()
        pairs = pa.concat_tables(tables)
        progress(f"Scored {len(pairs):,} pairs with new records", 0, 0)
        return pairs


def _with_set_probabilities(model: dict[str, Any]) -> dict[str, Any]:
    """Set the NHS number's m probabilities, keep every m probability above the floor, and
    never let agreement count against a match more than complete disagreement does."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        if comparison["output_column_name"] == "nhs_number":
            for level in levels:
                level["m_probability"] = NHS_NUMBER_M[level["label_for_charts"]]
            continue
        for level in levels:
            if not level.get("u_probability"):
                level["u_probability"] = M_FLOOR
        m = [max(float(level.get("m_probability") or 0.0), M_FLOOR) for level in levels]
        u = [float(level["u_probability"]) for level in levels]
        # The last level is "Different". A level of partial agreement seen too rarely among the
        # labelled matches (a small area, a rare level) would otherwise get the floor's m and a
        # weight below "Different": the same postcode sector counting against a match more than
        # another town's postcode. Raise its m to "Different"'s Bayes factor at least.
        disagreement = m[-1] / u[-1]
        m = [max(mi, ui * disagreement) for mi, ui in zip(m, u, strict=True)]
        total = sum(m)
        for level, mi in zip(levels, m, strict=True):
            level["m_probability"] = mi / total
    return model


def cluster(
    record_ids: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    *,
    threshold: float,
    confirmed: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    agency_of: dict[str, str] | None = None,
) -> dict[str, str]:
    """Each record's cluster (the smallest record id in it), joining pairs at or above the
    threshold and every confirmed pair (a confirmed pair joins even two records of one agency).

    Links are taken strongest first; a link is skipped when it would put two records that a
    practitioner has said are different people into one cluster, or (given ``agency_of``) two
    records of one agency: an agency holds one record of a person, so a second one is a sibling
    or a namesake, not the same child.
    """
    parent: dict[str, str] = {r: r for r in record_ids}

    def find(node: str) -> str:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    apart: dict[str, set[str]] = {}
    for a, b in rejected:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    members: dict[str, set[str]] = {}

    def cluster_members(root: str) -> set[str]:
        return members.get(root, {root})

    agencies: dict[str, frozenset[str]] = {}
    held_by = agency_of or {}

    def agencies_in(root: str) -> frozenset[str]:
        return agencies.get(root) or frozenset({held_by[root]})

    def may_join(root_a: str, root_b: str, *, confirmed: bool) -> bool:
        if not confirmed and agency_of is not None and agencies_in(root_a) & agencies_in(root_b):
            return False
        if not apart:
            return True
        in_b = cluster_members(root_b)
        return not any(apart.get(m, set()) & in_b for m in cluster_members(root_a))

    def join(a: str, b: str, *, confirmed: bool = False) -> None:
        root_a, root_b = find(a), find(b)
        if root_a == root_b or not may_join(root_a, root_b, confirmed=confirmed):
            return
        if root_b < root_a:
            root_a, root_b = root_b, root_a
        parent[root_b] = root_a
        if agency_of is not None:
            agencies[root_a] = agencies_in(root_a) | agencies_in(root_b)
            agencies.pop(root_b, None)
        if apart:
            members[root_a] = cluster_members(root_a) | cluster_members(root_b)
            members.pop(root_b, None)

    for a, b in confirmed:
        if a in parent and b in parent:
            join(a, b, confirmed=True)
    strong = sorted(
        ((p, a, b) for a, b, p in pairs if p >= threshold and a in parent and b in parent),
        reverse=True,
    )
    for _, a, b in strong:
        join(a, b)
    return {record: find(record) for record in parent}
