"""``safeshare decide evaluate FILE.json``: what the guidance says for the facts in a JSON file.

FILE holds the facts mapping (the same fields as the API's ``POST /api/decisions/evaluate``), or
``{"facts": {...}}``; ``-`` reads standard input. It prints the recommendation, the reasons, the
rules cited, the suggested lawful basis and whom to tell; ``--json`` prints the outcome mapping
instead. Nothing is read from or written to the database: the engine is pure.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeshare.consent.lawful_bases import UnknownLawfulBasis, lawful_basis
from safeshare.decisions.engine import (
    InvalidFacts,
    Notify,
    Outcome,
    evaluate,
    facts_from_mapping,
    outcome_to_mapping,
)
from safeshare.decisions.models import recommendation_label

TELL: dict[Notify, str] = {
    Notify.INDIVIDUAL: "The individual: tell them what was shared, with whom and why",
    Notify.REQUESTER_OF_REFUSAL: "The requester: tell them you are not sharing, and why",
}


def read_facts(source: str) -> Mapping[str, object]:
    """The facts mapping from FILE (or stdin for "-"), unwrapped from ``{"facts": ...}``."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {source}: {exc}") from exc
    name = "standard input" if source == "-" else source
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    if isinstance(data, dict) and set(data) == {"facts"}:
        data = data["facts"]
    if not isinstance(data, dict):
        raise CommandError(f'{name} must hold a JSON object of facts, or {{"facts": {{...}}}}')
    return data


def _basis_line(code: str) -> str:
    try:
        entry = lawful_basis(code)
    except UnknownLawfulBasis:
        return code
    return f"{entry.citation}: {entry.title} ({code})"


def describe(outcome: Outcome) -> str:
    """The outcome in plain text, for a person reading a terminal."""
    label = recommendation_label(str(outcome.recommendation))
    lines = [
        f"Recommendation: {label} ({outcome.recommendation})",
        f"Rule version: {outcome.rule_version}",
        "",
    ]
    if outcome.contradictions:
        lines.append("Answers that contradict each other:")
        lines.extend(
            f"  {c.id}  {c.text} (look again at: {', '.join(c.fields)})"
            for c in outcome.contradictions
        )
        lines.append("")
    if outcome.manager_approval:
        lines.extend(["Approval: a designated safeguarding lead or manager must approve it", ""])
    lines += [
        "Why:",
        *(f"  - {reason}" for reason in outcome.reasons),
        "",
        "Rules cited:",
        *(f"  {rule.id}  {rule.text}" for rule in outcome.rules_applied),
        "",
        "Suggested lawful basis:",
    ]
    basis = outcome.lawful_basis
    if basis is None:
        lines.append("  None needed: nothing is to be shared")
    else:
        codes = [basis.article_6, basis.article_9, basis.schedule_1, basis.article_10]
        lines.extend(f"  {_basis_line(code)}" for code in codes if code)
    lines.extend(["", "Record:", *(f"  - {item}" for item in outcome.must_record), "", "Tell:"])
    lines.extend(f"  - {TELL.get(notify, str(notify))}" for notify in outcome.must_tell)
    if outcome.individual_not_told_reason:
        lines.append(f"  - Not the individual: {outcome.individual_not_told_reason}")
    if not outcome.must_tell and not outcome.individual_not_told_reason:
        lines.append("  - Nobody")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Evaluate the facts of a sharing situation against the guidance (nothing recorded)"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        evaluate_parser = actions.add_parser(
            "evaluate", help="Print the recommendation for the facts in FILE.json"
        )
        evaluate_parser.add_argument(
            "file", metavar="FILE.json", help='The facts as JSON ("-" for standard input)'
        )
        evaluate_parser.add_argument(
            "--json", action="store_true", help="Print the outcome as JSON instead of text"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_facts(options["file"])
        try:
            facts = facts_from_mapping(data)
        except InvalidFacts as exc:
            raise CommandError(f"invalid facts: {exc.message}") from exc
        outcome = evaluate(facts)
        if options["json"]:
            self.stdout.write(json.dumps(outcome_to_mapping(outcome), indent=2))
        else:
            self.stdout.write(describe(outcome))
