"""The seven golden rules and the seven principles of information sharing, in our own words.

Pure data for the guidance page: each entry is ``(id, title, text)``. Ids are stable; the decision
engine's rule ids refer to the golden rules as ``GR-<n>...``.
"""

from __future__ import annotations

from typing import Final

GuidanceEntry = tuple[str, str, str]

GOLDEN_RULES: Final[tuple[GuidanceEntry, ...]] = (
    (
        "GR-1",
        "The law helps you share",
        "Data protection and human rights law do not stop you sharing information to keep a child "
        "safe. They set out how to share personal information about living people properly.",
    ),
    (
        "GR-2",
        "Be open and honest",
        "From the start, tell the person (and their family where that is right) why, what, how "
        "and with whom information will or could be shared, and ask for their agreement, unless "
        "doing so would be unsafe or inappropriate. Afterwards, tell them what you shared unless "
        "that would create or increase a risk of harm.",
    ),
    (
        "GR-3",
        "Ask for advice when in doubt",
        "If you are unsure, talk to your designated safeguarding lead, manager or information "
        "governance lead, and keep the person's identity out of the conversation where you can. "
        "Never let waiting for advice delay action when a child may be at risk of significant "
        "harm.",
    ),
    (
        "GR-4",
        "Use consent where it fits, and know your basis",
        "Share with informed consent where that is appropriate, and where you can, respect the "
        "wishes of someone who says no to sharing confidential information. You may still share "
        "without consent when, on the facts, there is good reason, such as someone's safety. "
        "Always be clear about the lawful basis you are relying on.",
    ),
    (
        "GR-5",
        "Put safety and well-being first",
        "Base each decision on the safety and well-being of the child and of anyone else who "
        "could be affected by what happens next.",
    ),
    (
        "GR-6",
        "Share the right information, the right way",
        "Share only what is necessary for the purpose, only with those who need it, accurate and "
        "up to date, on time and securely. Keep fact apart from opinion, and check that the "
        "recipient understood what you meant.",
    ),
    (
        "GR-7",
        "Write it down",
        "Record every decision and the reasons for it, whether or not you share. If you share, "
        "record what, with whom, for what purpose and on what basis. If you decide not to, tell "
        "the person who asked and be ready to think again if new information comes to light.",
    ),
)

PRINCIPLES: Final[tuple[GuidanceEntry, ...]] = (
    (
        "P-1",
        "Necessary and proportionate",
        "Share only as much as the purpose needs, weighing the intrusion against the risk of not "
        "sharing. Sometimes that means sharing everything relevant; sometimes very little.",
    ),
    (
        "P-2",
        "Relevant",
        "Share only information that bears on the purpose, so that the recipient can do their "
        "job well.",
    ),
    (
        "P-3",
        "Adequate",
        "Share enough, and of good enough quality, for the recipient to understand it and rely on "
        "it.",
    ),
    (
        "P-4",
        "Accurate",
        "Check the information is accurate and up to date, and make clear what is fact and what "
        "is opinion.",
    ),
    (
        "P-5",
        "Timely",
        "Share in time to make a difference. Delay can leave a child at risk, so act quickly "
        "when there is a concern about harm.",
    ),
    (
        "P-6",
        "Secure",
        "Share in a way that keeps the information safe: the right recipient, a secure channel, "
        "and your organisation's procedures.",
    ),
    (
        "P-7",
        "Recorded",
        "Keep a record of what you decided and why, and if you shared, what, with whom, when and "
        "on what basis.",
    ),
)
