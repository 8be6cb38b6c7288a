"""Nicknames and the formal given names they stand for (pure).

Agencies record the name a child is known by: "Lizzie" at school, "Elizabeth" at the GP. Linkage
compares the formal form as well as the name itself. The synthetic population uses the same table
to make its nickname errors.
"""

from __future__ import annotations

# Formal given name -> the short forms people and agencies use instead.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Margaret": ("Maggie", "Meg"),
    "Rebecca": ("Becky", "Becca"),
    "Jennifer": ("Jenny", "Jen"),
    "Victoria": ("Vicky", "Tori"),
    "Samantha": ("Sam", "Sammy"),
    "Alexandra": ("Alex", "Lexi"),
    "Charlotte": ("Lottie", "Charlie"),
    "Abigail": ("Abby",),
    "Jessica": ("Jess", "Jessie"),
    "Eleanor": ("Ellie", "Nell"),
    "Florence": ("Flo", "Florrie"),
    "Olivia": ("Liv", "Livvy"),
    "Isabella": ("Bella", "Izzy"),
    "Matilda": ("Tilly",),
    "Harriet": ("Hattie",),
    "Amelia": ("Millie",),
    "William": ("Will", "Bill", "Billy"),
    "Robert": ("Rob", "Bob", "Bobby"),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jamie"),
    "Richard": ("Rich", "Rick"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Michael": ("Mike", "Mikey"),
    "Daniel": ("Dan", "Danny"),
    "Joseph": ("Joe", "Joey"),
    "Benjamin": ("Ben", "Benji"),
    "Alexander": ("Alex", "Sandy"),
    "Christopher": ("Chris", "Kit"),
    "Matthew": ("Matt",),
    "Nicholas": ("Nick", "Nicky"),
    "Anthony": ("Tony",),
    "Jonathan": ("Jon", "Jonny"),
    "Samuel": ("Sam", "Sammy"),
    "Henry": ("Harry", "Hal"),
    "Frederick": ("Fred", "Freddie"),
    "Theodore": ("Theo", "Ted"),
}

_FORMAL_OF: dict[str, str] = {}
for _formal, _shorts in NICKNAMES.items():
    _FORMAL_OF[_formal.lower()] = _formal.lower()
    for _short in _shorts:
        _FORMAL_OF.setdefault(_short.lower(), _formal.lower())


def formal_given_name(name: str) -> str:
    """The formal form of a lower-case given name ("lizzie" -> "elizabeth"); itself otherwise."""
    return _FORMAL_OF.get(name, name)
