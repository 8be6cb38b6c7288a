"""The catalogue of lawful bases and conditions for sharing personal data. Pure Python, no Django.

UK GDPR Article 6(1) bases, Article 9(2) conditions for special category data, the Data Protection
Act 2018 Schedule 1 conditions that matter for safeguarding, and the Article 10 routes for criminal
offence data (Article 10 is met through a Schedule 1 condition: DPA 2018 section 10(5)).
Explanations are in our own words and are a guide, not legal advice.

Codes are stable: ``art6_1_<x>``, ``art9_2_<x>``, ``dpa_sch1_<paragraph>``,
``art10_dpa_sch1_<paragraph>``. Never reuse or rename one; recorded decisions refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

KINDS: Final[tuple[str, ...]] = ("article_6", "article_9", "schedule_1", "article_10")


class UnknownLawfulBasis(ValueError):
    """No catalogue entry has this code."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{code!r} is not a lawful basis in the catalogue")
        self.code = code


@dataclass(frozen=True)
class LawfulBasisEntry:
    code: str  # "art6_1_a" ... "art6_1_f", "art9_2_a".."art9_2_j", "dpa_sch1_<n>", "art10_..."
    kind: str  # "article_6" | "article_9" | "schedule_1" | "article_10"
    title: str
    citation: str
    explanation: str  # plain English, our own words
    requires: tuple[str, ...]  # the facts it requires, plain English
    schedule_1_required: bool = False  # Art 9 only: DPA 2018 s10 asks for a Schedule 1 condition
    schedule_1: str | None = None  # Art 10 only: the Schedule 1 condition it rests on


def _a6(letter: str, title: str, explanation: str, *requires: str) -> LawfulBasisEntry:
    return LawfulBasisEntry(
        code=f"art6_1_{letter}",
        kind="article_6",
        title=title,
        citation=f"UK GDPR Article 6(1)({letter})",
        explanation=explanation,
        requires=requires,
    )


def _a9(
    letter: str, title: str, explanation: str, *requires: str, sch1: bool = False
) -> LawfulBasisEntry:
    return LawfulBasisEntry(
        code=f"art9_2_{letter}",
        kind="article_9",
        title=title,
        citation=f"UK GDPR Article 9(2)({letter})",
        explanation=explanation,
        requires=requires,
        schedule_1_required=sch1,
    )


def _s1(part: int, para: int, title: str, explanation: str, *requires: str) -> LawfulBasisEntry:
    return LawfulBasisEntry(
        code=f"dpa_sch1_{para}",
        kind="schedule_1",
        title=title,
        citation=f"Data Protection Act 2018 Schedule 1 Part {part} paragraph {para}",
        explanation=explanation,
        requires=requires,
    )


def _a10(para: int, title: str, explanation: str, *requires: str) -> LawfulBasisEntry:
    return LawfulBasisEntry(
        code=f"art10_dpa_sch1_{para}",
        kind="article_10",
        title=title,
        citation=f"UK GDPR Article 10 with Data Protection Act 2018 Schedule 1 paragraph {para}",
        explanation=explanation,
        requires=requires,
        schedule_1=f"dpa_sch1_{para}",
    )


ARTICLE_6: Final = (
    _a6(
        "a",
        "Consent",
        "The person has freely agreed to this specific sharing, knowing what, why and with whom. "
        "They can withdraw it at any time, and then what was shared on that basis must be deleted, "
        "so it is rarely the right basis for safeguarding work.",
        "Clear, specific, informed agreement from the person (or someone able to give it for them)",
        "A record of when and how it was given and what it covers",
    ),
    _a6(
        "b",
        "Contract",
        "Sharing is needed to carry out a contract with the person, or to take steps they asked "
        "for before entering one. Seldom relevant to safeguarding.",
        "A contract with the person, or steps they asked for before one",
    ),
    _a6(
        "c",
        "Legal obligation",
        "The law, or a court order, requires you to share this information.",
        "A statutory duty or court order that requires this sharing",
    ),
    _a6(
        "d",
        "Vital interests",
        "Sharing is needed to protect someone's life or to prevent serious physical harm, usually "
        "in an emergency when there is no time or way to use another basis.",
        "A real and immediate risk to someone's life or of serious physical harm",
    ),
    _a6(
        "e",
        "Public task",
        "Sharing is needed to carry out a task in the public interest or an official function "
        "that has a basis in law, such as a local authority's duties to children or a police "
        "force's duty to prevent crime. The usual basis for public bodies that safeguard "
        "children.",
        "A function or task of your organisation that has a basis in law",
        "Sharing is necessary and proportionate for that task",
    ),
    _a6(
        "f",
        "Legitimate interests",
        "Sharing is needed for a genuine interest of your organisation or the recipient, and that "
        "interest is not outweighed by the person's rights. Public authorities cannot use it for "
        "their official tasks; voluntary organisations sometimes can.",
        "A genuine interest in sharing that outweighs the intrusion for the person",
        "Your organisation is not acting as a public authority carrying out its tasks",
    ),
)

ARTICLE_9: Final = (
    _a9(
        "a",
        "Explicit consent",
        "The person has clearly and expressly agreed to this sensitive information being shared "
        "for this purpose.",
        "Explicit consent that covers this information, purpose and recipient",
    ),
    _a9(
        "b",
        "Employment, social security and social protection",
        "Sharing is needed to meet obligations or use rights in employment, social security or "
        "social protection law.",
        "An obligation or right in employment, social security or social protection law",
        "A Schedule 1 paragraph 1 condition",
        sch1=True,
    ),
    _a9(
        "c",
        "Vital interests",
        "Sharing is needed to protect someone's life or prevent serious harm, and the person "
        "cannot give consent (for example they are unconscious or lack capacity).",
        "A risk to life or of serious harm",
        "The person is physically or legally unable to consent",
    ),
    _a9(
        "d",
        "Not-for-profit bodies",
        "A charity or other not-for-profit body with a political, religious, philosophical or "
        "trade union aim uses information about its own members or regular contacts.",
        "A not-for-profit body sharing about its members or regular contacts",
    ),
    _a9(
        "e",
        "Made public by the person",
        "The person has themselves clearly made this information public.",
        "The person deliberately made the information public",
    ),
    _a9(
        "f",
        "Legal claims and courts",
        "Sharing is needed to make, pursue or defend legal claims, or by courts acting as courts.",
        "A legal claim, or a court acting in its judicial capacity",
    ),
    _a9(
        "g",
        "Substantial public interest",
        "Sharing is needed for reasons of substantial public interest set out in law; in England "
        "this means one of the Schedule 1 Part 2 conditions, such as safeguarding children.",
        "A Schedule 1 Part 2 condition (for example paragraph 18)",
        "An appropriate policy document where the condition asks for one",
        sch1=True,
    ),
    _a9(
        "h",
        "Health or social care",
        "Sharing is needed for preventive or occupational medicine, diagnosis, or providing "
        "health or social care or treatment, by or under the responsibility of a professional "
        "who owes a duty of confidence.",
        "A health or social care purpose",
        "A professional bound by confidentiality is responsible",
        "A Schedule 1 paragraph 2 condition",
        sch1=True,
    ),
    _a9(
        "i",
        "Public health",
        "Sharing is needed for public health, such as protecting against serious threats to "
        "health.",
        "A public health purpose",
        "A Schedule 1 paragraph 3 condition",
        sch1=True,
    ),
    _a9(
        "j",
        "Archiving, research and statistics",
        "Sharing is needed for archiving in the public interest, research or statistics, with "
        "safeguards.",
        "An archiving, research or statistical purpose with safeguards",
        "A Schedule 1 paragraph 4 condition",
        sch1=True,
    ),
)

SCHEDULE_1: Final = (
    _s1(
        1,
        1,
        "Employment, social security and social protection",
        "Supports Article 9(2)(b): sharing needed to meet duties or use rights in employment, "
        "social security or social protection law.",
        "A duty or right in employment, social security or social protection law",
        "An appropriate policy document",
    ),
    _s1(
        1,
        2,
        "Health or social care purposes",
        "Supports Article 9(2)(h): sharing for health or social care, such as diagnosis, "
        "treatment, or managing care services, by or under the responsibility of a professional "
        "who owes a duty of confidence.",
        "A health or social care purpose",
        "A health or social work professional, or someone else with a duty of confidence, is "
        "responsible",
    ),
    _s1(
        1,
        3,
        "Public health",
        "Supports Article 9(2)(i): sharing for public health reasons by or under the "
        "responsibility of a health professional or someone with a duty of confidence.",
        "A public health purpose",
    ),
    _s1(
        2,
        6,
        "Statutory and government purposes",
        "Sharing needed to carry out a function given by law (for example a local authority's "
        "child protection duties), for reasons of substantial public interest.",
        "A function given to you by law",
        "Sharing is necessary for substantial public interest reasons",
        "An appropriate policy document",
    ),
    _s1(
        2,
        7,
        "Administration of justice and parliamentary purposes",
        "Sharing needed for the administration of justice or for a function of either House of "
        "Parliament.",
        "A justice or parliamentary purpose",
        "An appropriate policy document",
    ),
    _s1(
        2,
        10,
        "Preventing or detecting unlawful acts",
        "Sharing needed to prevent or detect crime or other unlawful acts, where asking for "
        "consent would get in the way, for reasons of substantial public interest.",
        "A purpose of preventing or detecting an unlawful act",
        "Asking for consent would prejudice that purpose",
        "An appropriate policy document (not needed for a disclosure to a competent authority "
        "such as the police)",
    ),
    _s1(
        2,
        17,
        "Counselling",
        "Sharing needed to provide confidential counselling, advice or support, where consent "
        "cannot be given, cannot reasonably be obtained, or asking would get in the way of the "
        "service.",
        "A confidential counselling, advice or support service",
        "Consent cannot be given, cannot reasonably be obtained, or asking would prejudice the "
        "service",
    ),
    _s1(
        2,
        18,
        "Safeguarding of children and of individuals at risk",
        "Sharing needed to protect a child, or an adult at risk, from neglect or physical, mental "
        "or emotional harm, or to protect their well-being, without consent because it cannot be "
        "given, cannot reasonably be obtained, or asking would get in the way of protecting them.",
        "The person is under 18, or is an adult at risk",
        "Sharing is necessary to protect them from harm or to protect their well-being",
        "Consent cannot be given, cannot reasonably be obtained, or seeking it would prejudice "
        "their protection",
        "Sharing is necessary for reasons of substantial public interest",
    ),
    _s1(
        3,
        29,
        "Consent (criminal offence data)",
        "The person has consented to information about offences or convictions being shared.",
        "Consent that covers the criminal offence data and this sharing",
    ),
    _s1(
        3,
        30,
        "Protecting vital interests (criminal offence data)",
        "Sharing information about offences is needed to protect someone's life or prevent "
        "serious harm and the person cannot consent.",
        "A risk to life or of serious harm",
        "The person is physically or legally unable to consent",
    ),
)

ARTICLE_10: Final = (
    _a10(
        2,
        "Criminal offence data: health or social care",
        "Information about offences or convictions may be shared for health or social care "
        "purposes under the same conditions as Schedule 1 paragraph 2.",
        "A health or social care purpose",
        "A professional bound by confidentiality is responsible",
    ),
    _a10(
        6,
        "Criminal offence data: statutory purposes",
        "Information about offences or convictions may be shared to carry out a function given "
        "by law.",
        "A function given to you by law",
    ),
    _a10(
        10,
        "Criminal offence data: preventing or detecting unlawful acts",
        "Information about offences or convictions may be shared to prevent or detect crime where "
        "asking for consent would get in the way.",
        "A purpose of preventing or detecting an unlawful act",
        "Asking for consent would prejudice that purpose",
    ),
    _a10(
        18,
        "Criminal offence data: safeguarding",
        "Information about offences or convictions may be shared to protect a child or an adult "
        "at risk without consent, where it cannot be given, cannot reasonably be obtained, or "
        "asking would get in the way of protecting them.",
        "The person protected is under 18, or is an adult at risk",
        "Consent cannot be given, cannot reasonably be obtained, or seeking it would prejudice "
        "their protection",
    ),
    _a10(
        29,
        "Criminal offence data: consent",
        "Information about offences or convictions may be shared with the person's consent.",
        "Consent that covers the criminal offence data and this sharing",
    ),
)

CATALOGUE: Final[tuple[LawfulBasisEntry, ...]] = (
    *ARTICLE_6,
    *ARTICLE_9,
    *SCHEDULE_1,
    *ARTICLE_10,
)
_BY_CODE: Final[dict[str, LawfulBasisEntry]] = {entry.code: entry for entry in CATALOGUE}


def lawful_basis(code: str) -> LawfulBasisEntry:
    """The catalogue entry for ``code`` (raises UnknownLawfulBasis)."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownLawfulBasis(code) from None


def codes(kind: str) -> tuple[str, ...]:
    """The codes of one kind, in catalogue order (ValueError for an unknown kind)."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of lawful basis; known: {', '.join(KINDS)}")
    return tuple(entry.code for entry in CATALOGUE if entry.kind == kind)


def choices(kind: str) -> tuple[tuple[str, str], ...]:
    """(code, "citation: title") pairs of one kind, for select lists."""
    return tuple(
        (entry.code, f"{entry.citation}: {entry.title}")
        for entry in CATALOGUE
        if entry.kind == kind
    )
