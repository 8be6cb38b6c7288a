"""The linkage model's comparisons and blocking rules: a backend-independent Splink settings dict.

Every comparison reads the columns ``features.make_features`` makes, and uses only functions every
Splink backend has (exact match, Jaro-Winkler, Damerau-Levenshtein), so the same settings, and the
trained model saved from them, run on DuckDB here and on Spark for a region or the country (see
docs/how-to/linkage.md). ``scoring.py`` reimplements exactly these levels in Python for identity
search; a test holds the two to the same match weights.

The dict is plain data (no Splink import), built by hand in Splink's settings format, so that this
module stays pure and the levels' SQL is visible here.
"""

from __future__ import annotations

from typing import Any, Final

# Jaro-Winkler thresholds: names at least this similar count as a near match.
GIVEN_NAME_JW: Final = 0.9
FAMILY_NAME_JW: Final = (0.92, 0.85)


def _null(column: str) -> dict[str, Any]:
    return {
        "sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
        "label_for_charts": "Not recorded on one side",
        "is_null_level": True,
    }


def _exact(column: str, label: str, *, tf: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {
        "sql_condition": f'"{column}_l" = "{column}_r"',
        "label_for_charts": label,
    }
    if tf:
        level["tf_adjustment_column"] = column
        level["tf_adjustment_weight"] = 1.0
    return level


def _jaro_winkler(column: str, threshold: float, label: str) -> dict[str, Any]:
    return {
        "sql_condition": f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}',
        "label_for_charts": label,
    }


_ELSE: Final[dict[str, Any]] = {"sql_condition": "ELSE", "label_for_charts": "Different"}

COMPARISONS: Final[list[dict[str, Any]]] = [
    {
        "output_column_name": "nhs_number",
        "comparison_description": "NHS number",
        "comparison_levels": [
            _null("nhs_number"),
            _exact("nhs_number", "The same NHS number"),
            _ELSE,
        ],
    },
    {
        "output_column_name": "given_name",
        "comparison_description": "Given name",
        "comparison_levels": [
            _null("given_name"),
            _exact("given_name", "The same given name", tf=True),
            _exact("given_canonical", "A nickname of the same given name"),
            _jaro_winkler("given_name", GIVEN_NAME_JW, "A very similar given name"),
            {
                "sql_condition": (
                    '"given_name_l" = "family_name_r" AND "family_name_l" = "given_name_r"'
                ),
                "label_for_charts": "Given and family names swapped",
            },
            _ELSE,
        ],
    },
    {
        "output_column_name": "family_name",
        "comparison_description": "Family name",
        "comparison_levels": [
            _null("family_name"),
            _exact("family_name", "The same family name", tf=True),
            {
                "sql_condition": (
                    '"family_name_l" = "previous_family_name_r" '
                    'OR "previous_family_name_l" = "family_name_r"'
                ),
                "label_for_charts": "A previous family name matches",
            },
            _jaro_winkler("family_name", FAMILY_NAME_JW[0], "A very similar family name"),
            _jaro_winkler("family_name", FAMILY_NAME_JW[1], "A similar family name"),
            _ELSE,
        ],
    },
    {
        "output_column_name": "dob",
        "comparison_description": "Date of birth",
        "comparison_levels": [
            _null("dob"),
            _exact("dob", "The same date of birth"),
            {
                "sql_condition": 'damerau_levenshtein("dob_l", "dob_r") <= 1',
                "label_for_charts": "One digit different in the date of birth",
            },
            {
                "sql_condition": '"dob_l" = "dob_swapped_r"',
                "label_for_charts": "Day and month swapped",
            },
            _exact("birth_year", "Born in the same year"),
            _ELSE,
        ],
    },
    {
        "output_column_name": "sex",
        "comparison_description": "Sex",
        "comparison_levels": [_null("sex"), _exact("sex", "The same sex"), _ELSE],
    },
    {
        "output_column_name": "postcode",
        "comparison_description": "Postcode",
        "comparison_levels": [
            _null("postcode"),
            _exact("postcode", "The same postcode"),
            _exact("postcode_sector", "The same postcode sector"),
            _exact("postcode_district", "The same postcode district"),
            _ELSE,
        ],
    },
]

# Pairs are only compared when they agree on at least one of these (each rule's SQL compares the
# left record "l" with the right record "r").
BLOCKING_RULES: Final[list[str]] = [
    'l."nhs_number" = r."nhs_number"',
    'l."dob" = r."dob" AND substr(l."family_name", 1, 1) = substr(r."family_name", 1, 1)',
    'l."family_name" = r."family_name" AND l."given_canonical" = r."given_canonical" '
    'AND l."birth_year" = r."birth_year"',
    'l."postcode" = r."postcode" AND l."given_canonical" = r."given_canonical"',
    'l."postcode" = r."postcode" AND l."dob" = r."dob"',
    'l."given_canonical" = r."given_canonical" AND l."dob" = r."dob"',
    'l."family_name" = r."family_name" AND l."dob_swapped" = r."dob"',
    # A previous family name recorded on one side, as the family name rule above (one rule each
    # way: an OR in a blocking rule would defeat the join).
    'l."previous_family_name" = r."family_name" AND l."given_canonical" = r."given_canonical" '
    'AND l."birth_year" = r."birth_year"',
    'l."family_name" = r."previous_family_name" AND l."given_canonical" = r."given_canonical" '
    'AND l."birth_year" = r."birth_year"',
]


def settings(*, link_type: str = "dedupe_only") -> dict[str, Any]:
    """The Splink settings dict (untrained: Splink adds the m and u probabilities)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "source_dataset_column_name": "agency",
        "comparisons": [dict(c) for c in COMPARISONS],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "probability_two_random_records_match": 1e-5,
    }
