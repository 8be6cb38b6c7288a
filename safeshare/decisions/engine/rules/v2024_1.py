"""Rule version 2024.1: HM Government's 2018 flowchart and the 2024 seven golden rules, as data.

Never edit the meaning of a row here once decisions have been recorded under "2024.1": write a new
module (for example ``v2025_1.py``) and register it in ``rules/__init__.py``. Fixing a typo in a
text is fine; changing a condition, an effect or an order is not.

Choices made in this version (the guidance leaves them to local policy):

- Article 6 basis: a statutory duty or court order gives *legal obligation* (6(1)(c)); immediate
  danger gives *vital interests* (6(1)(d)); *consent* (6(1)(a)) is suggested only when consent was
  given and the purpose is neither statutory, health care nor a harm concern (for example early
  help offered by a voluntary agency); everything else is *public task* (6(1)(e)), the basis
  Working Together points public bodies to. Bodies that are not public authorities should consider
  legitimate interests (6(1)(f)) with their IG lead; the engine does not guess the sharer's type.
- Special category / criminal offence data: health care uses Art 9(2)(h) + Sch 1 para 2;
  a statutory duty or court order, or a statutory purpose, uses 9(2)(g) + para 6; a harm concern
  (or a safeguarding purpose where consent could not or should not be sought) uses 9(2)(g) +
  para 18; crime prevention without consent uses 9(2)(g) + para 10; otherwise, with consent given,
  explicit consent 9(2)(a) (which needs no Schedule 1 condition). No row: no condition is
  available, so the engine cannot recommend sharing.
- "Consent not sought" with no reason: seek advice (with advice already sought: seek consent).
- Advice already sought: the engine never answers "seek advice" twice for the same doubt; it says
  what to do on the remaining facts, taking the cautious reading of the doubtful answer.
"""

from __future__ import annotations

from typing import Final

from safeshare.decisions.engine.facts import (
    ConsentState,
    Facts,
    NotSoughtReason,
    Recipient,
    Tristate,
)
from safeshare.decisions.engine.outcome import (
    SHARING_RECOMMENDATIONS,
    Notify,
    Recommendation,
)
from safeshare.decisions.engine.table import (
    Article6Row,
    ConditionRow,
    FlowRule,
    RecordRow,
    RuleSet,
    TellRow,
)

VERSION: Final = "2024.1"

# Purposes (the values of safeshare.core.vocabulary.SharingPurpose; repeated here because the
# engine is pure, and a test checks they still match).
HEALTH_CARE: Final = "health_care"
CRIME_PREVENTION: Final = "crime_prevention"
STATUTORY_PURPOSES: Final = frozenset(
    {
        "child_protection",
        "child_in_need",
        "mash_triage",
        "looked_after",
        "education_welfare",
        "disclosure_scheme",
        "crime_prevention",
    }
)
"""Purposes carried out under a function given by law (Children Act 1989 s17/s47, etc.)."""
SAFEGUARDING_PURPOSES: Final = frozenset(
    {
        "child_protection",
        "child_in_need",
        "early_help",
        "mash_triage",
        "looked_after",
        "disclosure_scheme",
    }
)
"""Purposes that protect a child from harm or protect a child's well-being (Sch 1 para 18)."""
KNOWN_PURPOSES: Final = STATUTORY_PURPOSES | SAFEGUARDING_PURPOSES | {HEALTH_CARE}

# Reasons for not seeking consent that fit Sch 1 para 18(2): consent cannot be given, cannot
# reasonably be obtained, or seeking it would get in the way of protecting someone.
_PARA_18_REASONS: Final = frozenset(
    {
        NotSoughtReason.CHILD_AT_INCREASED_RISK,
        NotSoughtReason.ADULT_AT_RISK_OF_SERIOUS_HARM,
        NotSoughtReason.CANNOT_BE_GIVEN,
        NotSoughtReason.NOT_REASONABLE_TO_OBTAIN,
        NotSoughtReason.UNDUE_DELAY,
    }
)
_NO_CONSENT: Final = frozenset({ConsentState.REFUSED, ConsentState.WITHDRAWN})
_ASK_CONSENT: Final = frozenset({ConsentState.NOT_ASKED, ConsentState.EXPIRED})


# Predicates over the facts. Small and named so each row reads as a sentence.
def harm(f: Facts) -> bool:
    return f.significant_harm_concern or f.immediate_danger


def reason(f: Facts) -> NotSoughtReason | None:
    """The not-sought reason, counted only when consent really was not sought."""
    return f.consent_not_sought_reason if f.consent is ConsentState.NOT_SOUGHT else None


def risk_to_child(f: Facts) -> bool:
    return (
        f.consent_would_increase_risk_to_child
        or reason(f) is NotSoughtReason.CHILD_AT_INCREASED_RISK
    )


def risk_to_adult(f: Facts) -> bool:
    return (
        f.consent_would_put_adult_at_serious_risk
        or reason(f) is NotSoughtReason.ADULT_AT_RISK_OF_SERIOUS_HARM
    )


def risk_to_crime_inquiry(f: Facts) -> bool:
    return (
        f.consent_would_undermine_crime_prevention
        or reason(f) is NotSoughtReason.UNDERMINE_SERIOUS_CRIME_INVESTIGATION
    )


def consent_risk(f: Facts) -> bool:
    """Seeking consent (or respecting a refusal) would put someone, or an inquiry, at risk."""
    return (
        f.consent_would_increase_risk_to_child
        or f.consent_would_put_adult_at_serious_risk
        or f.consent_would_undermine_crime_prevention
    )


def telling_is_risky(f: Facts) -> bool:
    return risk_to_child(f) or risk_to_adult(f) or risk_to_crime_inquiry(f)


def para_18_reason(f: Facts) -> bool:
    return (
        harm(f)
        or f.consent_would_increase_risk_to_child
        or f.consent_would_put_adult_at_serious_risk
        or reason(f) in _PARA_18_REASONS
    )


def given(f: Facts) -> bool:
    return f.consent is ConsentState.GIVEN


def confidential(f: Facts) -> bool:
    """Confidential, or not sure (after advice, treated as confidential: the cautious reading)."""
    return f.confidential is not Tristate.NO


def other_lawful_reason(f: Facts) -> bool:
    return f.statutory_duty_or_court_order


def any_not_sure(f: Facts) -> bool:
    return Tristate.NOT_SURE in (
        f.purpose_clear_and_legitimate,
        f.identifies_living_person,
        f.confidential,
    )


def not_sharing_consent_stop(f: Facts) -> bool:
    """Confidential, no other lawful reason, and no risk in asking: consent decides."""
    return confidential(f) and not other_lawful_reason(f) and not consent_risk(f)


# --- Article 6 -------------------------------------------------------------------------------
ARTICLE_6: Final[tuple[Article6Row, ...]] = (
    Article6Row(
        id="LB-01",
        text="A statutory duty or a court order to share points to the legal obligation basis.",
        when=lambda f: f.statutory_duty_or_court_order,
        code="art6_1_c",
        reason="You have said a statutory duty or a court order requires this, so the suggested "
        "Article 6 basis is legal obligation.",
    ),
    Article6Row(
        id="LB-02",
        text="Sharing to protect someone from immediate danger to life or limb rests on vital "
        "interests.",
        when=lambda f: f.immediate_danger,
        code="art6_1_d",
        reason="You have said someone may be in immediate danger, so the suggested Article 6 basis "
        "is vital interests.",
    ),
    Article6Row(
        id="LB-03",
        text="Consent is the basis only where it was given and the sharing is not for a "
        "statutory, health care or protective purpose.",
        when=lambda f: (
            given(f)
            and not harm(f)
            and f.purpose not in STATUTORY_PURPOSES
            and f.purpose != HEALTH_CARE
        ),
        code="art6_1_a",
        reason="You have said consent was given and the purpose is not a statutory one, so the "
        "suggested Article 6 basis is consent. If consent is withdrawn, the information shared "
        "on that basis must be deleted.",
    ),
    Article6Row(
        id="LB-04",
        text="Where no more specific basis applies, public bodies share to carry out their "
        "public task.",
        when=lambda f: True,
        code="art6_1_e",
        reason="The suggested Article 6 basis is public task: sharing to carry out a function "
        "in the public interest. If your organisation is not a public authority, ask your "
        "information governance lead whether legitimate interests fits instead.",
    ),
)

# --- Article 9 / Schedule 1 / Article 10 ------------------------------------------------------
CONDITIONS: Final[tuple[ConditionRow, ...]] = (
    ConditionRow(
        id="LB-10",
        text="Sensitive information shared for a child's health care can rely on the health or "
        "social care condition.",
        when=lambda f: f.purpose == HEALTH_CARE,
        article_9="art9_2_h",
        schedule_1="dpa_sch1_2",
        article_10="art10_dpa_sch1_2",
        reason="The purpose is health care, so the sensitive information can be shared under the "
        "health or social care condition (Article 9(2)(h), Schedule 1 paragraph 2).",
    ),
    ConditionRow(
        id="LB-11",
        text="Sensitive information that the law or a court requires you to share can rely on "
        "the statutory purposes condition.",
        when=lambda f: f.statutory_duty_or_court_order,
        article_9="art9_2_g",
        schedule_1="dpa_sch1_6",
        article_10="art10_dpa_sch1_6",
        reason="A statutory duty or court order applies, so the sensitive information can be "
        "shared under the statutory purposes condition (Article 9(2)(g), Schedule 1 paragraph 6).",
    ),
    ConditionRow(
        id="LB-12",
        text="Sensitive information shared without consent to protect a child or an adult at "
        "risk can rely on the safeguarding condition.",
        when=lambda f: (
            not given(f) and (harm(f) or f.purpose in SAFEGUARDING_PURPOSES) and para_18_reason(f)
        ),
        article_9="art9_2_g",
        schedule_1="dpa_sch1_18",
        article_10="art10_dpa_sch1_18",
        reason="You are protecting a child or an adult at risk and consent cannot, or should not, "
        "be relied on, so the sensitive information can be shared under the safeguarding of "
        "children and individuals at risk condition (Article 9(2)(g), Schedule 1 paragraph 18).",
    ),
    ConditionRow(
        id="LB-13",
        text="Sensitive information shared without consent to prevent or detect crime can rely "
        "on the unlawful acts condition.",
        when=lambda f: not given(f) and (f.purpose == CRIME_PREVENTION or risk_to_crime_inquiry(f)),
        article_9="art9_2_g",
        schedule_1="dpa_sch1_10",
        article_10="art10_dpa_sch1_10",
        reason="You are sharing to prevent or detect crime and asking for consent would get in "
        "the way, so the sensitive information can be shared under the preventing or detecting "
        "unlawful acts condition (Article 9(2)(g), Schedule 1 paragraph 10).",
    ),
    ConditionRow(
        id="LB-14",
        text="Sensitive information shared for a purpose the law gives your agency can rely on "
        "the statutory purposes condition.",
        when=lambda f: f.purpose in STATUTORY_PURPOSES,
        article_9="art9_2_g",
        schedule_1="dpa_sch1_6",
        article_10="art10_dpa_sch1_6",
        reason="The purpose is one your agency carries out under the law, so the sensitive "
        "information can be shared under the statutory purposes condition (Article 9(2)(g), "
        "Schedule 1 paragraph 6).",
    ),
    ConditionRow(
        id="LB-15",
        text="Otherwise sensitive information can be shared only with the person's explicit "
        "consent.",
        when=given,
        article_9="art9_2_a",
        schedule_1=None,
        article_10="art10_dpa_sch1_29",
        reason="You have said consent was given, so the sensitive information can be shared on "
        "explicit consent (Article 9(2)(a); for criminal offence data Schedule 1 paragraph 29). "
        "Make sure the consent was explicit and covers this information and this recipient.",
    ),
)


R = Recommendation

# --- The flow --------------------------------------------------------------------------------
FLOW: Final[tuple[FlowRule, ...]] = (
    FlowRule(
        id="FC-01",
        text="When someone may be in immediate danger, contact the police or children's social "
        "care at once; nothing else comes first.",
        when=lambda s: s.facts.immediate_danger,
        reason="You have said someone may be in immediate danger, so contact the police (999) or "
        "children's social care now. You do not need consent, and you should not wait for advice.",
        recommendation=R.REFER_NOW,
    ),
    FlowRule(
        id="GR-3.2",
        text="Doubt never delays action when a child may be suffering significant harm: act and "
        "seek advice at the same time.",
        when=lambda s: (
            s.facts.significant_harm_concern and any_not_sure(s.facts) and not s.facts.advice_sought
        ),
        reason="You are not sure about part of this, but you are worried a child may be suffering "
        "significant harm, so do not wait: act now and ask for advice at the same time.",
    ),
    FlowRule(
        id="FC-02",
        text="A concern about significant harm must reach children's social care or the police "
        "even when the request in front of you has no proper purpose.",
        when=lambda s: (
            s.facts.purpose_clear_and_legitimate is Tristate.NO and s.facts.significant_harm_concern
        ),
        reason="You have said this request has no clear and legitimate purpose, so do not share "
        "for it. But you are worried a child may be suffering significant harm, so refer that "
        "concern to children's social care or the police now.",
        recommendation=R.REFER_NOW,
    ),
    FlowRule(
        id="FC-03",
        text="Without a clear and legitimate purpose, information is not shared.",
        when=lambda s: s.facts.purpose_clear_and_legitimate is Tristate.NO,
        reason="You have said there is no clear and legitimate purpose for sharing, so do not "
        "share.",
        recommendation=R.DO_NOT_SHARE,
    ),
    FlowRule(
        id="FC-04",
        text="Unsure whether the purpose is clear and legitimate: ask for advice first.",
        when=lambda s: (
            s.facts.purpose_clear_and_legitimate is Tristate.NOT_SURE
            and not s.facts.significant_harm_concern
            and not s.facts.advice_sought
        ),
        reason="You are not sure the purpose is clear and legitimate, so ask your designated "
        "safeguarding lead, manager or information governance lead before sharing, without "
        "naming the person if you can.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="FC-05",
        text="Still unsure of the purpose after advice: do not share until the purpose is clear.",
        when=lambda s: (
            s.facts.purpose_clear_and_legitimate is Tristate.NOT_SURE
            and not s.facts.significant_harm_concern
        ),
        reason="You have sought advice and are still not sure the purpose is clear and "
        "legitimate, so do not share for now. Reconsider if the purpose becomes clear.",
        recommendation=R.DO_NOT_SHARE,
    ),
    FlowRule(
        id="FC-06",
        text="Information that cannot identify a living person is not personal data and can be "
        "shared without a lawful basis.",
        when=lambda s: s.facts.identifies_living_person is Tristate.NO,
        reason="You have said the information does not identify a living person, so data "
        "protection law does not apply to it and you may share it. Check that nothing in it, "
        "alone or with other information, could identify someone.",
        recommendation=R.NOT_PERSONAL_DATA,
    ),
    FlowRule(
        id="FC-07",
        text="Unsure whether the information identifies someone: ask for advice first.",
        when=lambda s: (
            s.facts.identifies_living_person is Tristate.NOT_SURE
            and not s.facts.significant_harm_concern
            and not s.facts.advice_sought
        ),
        reason="You are not sure whether the information identifies a living person, so ask for "
        "advice before sharing.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="FC-08",
        text="Information that might identify someone is treated as personal data.",
        when=lambda s: s.facts.identifies_living_person is Tristate.NOT_SURE,
        reason="You are not sure whether the information identifies a living person, so it is "
        "treated as personal data.",
    ),
    FlowRule(
        id="FC-09",
        text="Consent is not needed to share a concern that a child is suffering, or likely to "
        "suffer, significant harm.",
        when=lambda s: s.facts.significant_harm_concern and not given(s.facts),
        reason="You are worried a child is suffering or likely to suffer significant harm. You do "
        "not need consent to share that concern, and a lack of consent is never a reason to "
        "hold it back.",
    ),
    FlowRule(
        id="FC-10",
        text="A significant harm concern goes to children's social care or the police without "
        "delay.",
        when=lambda s: (
            s.facts.significant_harm_concern and s.facts.recipient is Recipient.STATUTORY_PARTNER
        ),
        reason="You are worried a child may be suffering significant harm and the recipient is a "
        "statutory partner, so refer now following your local procedures.",
        recommendation=R.REFER_NOW,
    ),
    FlowRule(
        id="FC-11",
        text="A significant harm concern whose intended recipient is not entitled is referred to "
        "children's social care or the police instead.",
        when=lambda s: (
            s.facts.significant_harm_concern and s.facts.recipient is Recipient.NOT_ENTITLED
        ),
        reason="You are worried a child may be suffering significant harm, but the intended "
        "recipient is not entitled to the information. Do not share with them; refer the concern "
        "to children's social care or the police now.",
        recommendation=R.REFER_NOW,
    ),
    FlowRule(
        id="FC-12",
        text="With consent and a significant harm concern, share with the agreed partner and make "
        "sure children's social care knows.",
        when=lambda s: s.facts.significant_harm_concern and given(s.facts),
        reason="You are worried a child may be suffering significant harm and consent was given, "
        "so share with the recipient under your agreement, and make sure children's social care "
        "or the police also know.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="FC-13",
        text="Without consent, a significant harm concern is still shared with the agreed "
        "partner, and children's social care must know.",
        when=lambda s: s.facts.significant_harm_concern,
        reason="You are worried a child may be suffering significant harm, so share with the "
        "recipient under your agreement without consent, and make sure children's social care or "
        "the police also know.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="FC-14",
        text="A recipient with no agreement and no statutory role: ask for advice before sharing.",
        when=lambda s: s.facts.recipient is Recipient.NOT_ENTITLED and not s.facts.advice_sought,
        reason="You have said the recipient is neither a party to an agreement covering this "
        "purpose nor a statutory partner, so ask for advice before sharing with them.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="FC-15",
        text="Once advice is taken about a recipient without an agreement, the remaining facts "
        "decide.",
        when=lambda s: s.facts.recipient is Recipient.NOT_ENTITLED,
        reason="You have already sought advice about this recipient, so the recommendation below "
        "follows the rest of your answers. Share only if the advice you received supports it.",
    ),
    FlowRule(
        id="FC-16",
        text="Unsure whether the information is confidential: ask for advice first.",
        when=lambda s: s.facts.confidential is Tristate.NOT_SURE and not s.facts.advice_sought,
        reason="You are not sure whether the information is confidential, so ask for advice "
        "before sharing.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="FC-17",
        text="Information that might be confidential is treated as confidential.",
        when=lambda s: s.facts.confidential is Tristate.NOT_SURE,
        reason="You have sought advice but are still not sure whether the information is "
        "confidential, so it is treated as confidential.",
    ),
    FlowRule(
        id="FC-18",
        text="Respect a refusal or withdrawal of consent for confidential information unless "
        "another lawful reason applies.",
        when=lambda s: s.facts.consent in _NO_CONSENT and not_sharing_consent_stop(s.facts),
        reason="You have said consent was refused or withdrawn, the information is confidential, "
        "no statutory duty or court order applies, and there is no risk that overrides their "
        "wishes, so do not share. Tell the person who asked, and reconsider if anything changes.",
        recommendation=R.DO_NOT_SHARE,
    ),
    FlowRule(
        id="FC-19",
        text="Confidential information with consent not yet asked or expired: ask first.",
        when=lambda s: s.facts.consent in _ASK_CONSENT and not_sharing_consent_stop(s.facts),
        reason="You have said consent has not been asked for, or has expired, and nothing makes "
        "asking unsafe, so be open with the person about why, what and with whom you want to "
        "share, and ask for their consent first.",
        recommendation=R.SEEK_CONSENT,
    ),
    FlowRule(
        id="FC-20",
        text="Consent not sought without one of the reasons the guidance allows: ask for advice.",
        when=lambda s: (
            s.facts.consent is ConsentState.NOT_SOUGHT
            and s.facts.consent_not_sought_reason is None
            and not_sharing_consent_stop(s.facts)
            and not s.facts.advice_sought
        ),
        reason="You have said consent was not sought but not why. The guidance allows not seeking "
        "consent only for specific reasons, so ask for advice.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="FC-21",
        text="After advice, with no allowed reason for not seeking consent: ask for consent.",
        when=lambda s: (
            s.facts.consent is ConsentState.NOT_SOUGHT
            and s.facts.consent_not_sought_reason is None
            and not_sharing_consent_stop(s.facts)
        ),
        reason="You have sought advice and still have no allowed reason for not seeking consent, "
        "so ask the person for their consent first.",
        recommendation=R.SEEK_CONSENT,
    ),
    FlowRule(
        id="FC-22",
        text="Sensitive information needs an extra legal condition; with none available, ask for "
        "advice.",
        when=lambda s: s.condition_missing and not s.facts.advice_sought,
        reason="You have said the information is special category or criminal offence data, and "
        "none of the extra conditions the law requires fits your answers, so ask your "
        "information governance lead before sharing.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="FC-23",
        text="Sensitive information with no legal condition available, even after advice, is not "
        "shared.",
        when=lambda s: s.condition_missing,
        reason="You have sought advice, but none of the extra conditions the law requires for "
        "special category or criminal offence data fits your answers, so do not share it. "
        "Reconsider if the facts change (for example if consent is given).",
        recommendation=R.DO_NOT_SHARE,
    ),
    FlowRule(
        id="FC-24",
        text="With consent that covers this purpose and recipient, share.",
        when=lambda s: given(s.facts),
        reason="You have said consent was given for this purpose and recipient, so share what is "
        "needed, securely. Remember the person may not expect everything to be passed on.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="FC-25",
        text="A statutory duty or court order is a lawful reason to share without consent.",
        when=lambda s: other_lawful_reason(s.facts),
        reason="You have said a statutory duty or court order requires you to share, so share "
        "without consent and record why consent did not decide it.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="FC-26",
        text="Consent may be overridden, or not sought, where asking would put a child or an "
        "adult at risk or undermine a serious crime inquiry.",
        when=lambda s: consent_risk(s.facts),
        reason="You have said that seeking or respecting consent would put a child at increased "
        "risk, put an adult at risk of serious harm, or undermine the prevention, detection or "
        "prosecution of a serious crime, so share without consent and record that reason.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="FC-27",
        text="Consent not sought for a reason the guidance allows: share without it and record "
        "the reason.",
        when=lambda s: reason(s.facts) is not None,
        reason="You have said consent was not sought for a reason the guidance allows, so share "
        "without consent and record that reason.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="FC-28",
        text="Information that is not confidential may be shared even when the person said no; "
        "record why.",
        when=lambda s: s.facts.consent in _NO_CONSENT,
        reason="You have said the information is not confidential, so a refusal of consent does "
        "not stop you sharing it on another lawful basis. Share without consent, consider "
        "carefully how, and record why.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="FC-29",
        text="Information that is not confidential can be shared on a lawful basis.",
        when=lambda s: s.facts.confidential is Tristate.NO,
        reason="You have said the information is not confidential, so you can share it on a "
        "lawful basis; be open with the person and consider how you share it.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="FC-99",
        text="If no other rule fits, ask for advice.",
        when=lambda s: True,
        reason="Your answers did not match any rule, so ask for advice.",
        recommendation=R.SEEK_ADVICE,
    ),
)


def sharing(rec: Recommendation) -> bool:
    return rec in SHARING_RECOMMENDATIONS


# --- Who must be told (golden rule 2) --------------------------------------------------------
TELL: Final[tuple[TellRow, ...]] = (
    TellRow(
        id="GR-2.1",
        text="Tell the person that their information has been shared, unless that would create "
        "or increase a risk of harm.",
        when=lambda s, rec: sharing(rec) and not telling_is_risky(s.facts),
        reason="Tell the person (or their family, where appropriate) what you shared, with whom "
        "and why, unless that would create or increase a risk of harm.",
        notify=Notify.INDIVIDUAL,
    ),
    TellRow(
        id="GR-2.2",
        text="Do not tell the person when that would put a child at greater risk.",
        when=lambda s, rec: sharing(rec) and risk_to_child(s.facts),
        reason="Do not tell the person that you shared, because that could put a child at "
        "increased risk of significant harm.",
        not_told_reason="Telling them could put a child at increased risk of significant harm.",
    ),
    TellRow(
        id="GR-2.3",
        text="Do not tell the person when that would put an adult at risk of serious harm.",
        when=lambda s, rec: sharing(rec) and risk_to_adult(s.facts),
        reason="Do not tell the person that you shared, because that could put an adult at risk "
        "of serious harm.",
        not_told_reason="Telling them could put an adult at risk of serious harm.",
    ),
    TellRow(
        id="GR-2.4",
        text="Do not tell the person when that would undermine a serious crime inquiry.",
        when=lambda s, rec: sharing(rec) and risk_to_crime_inquiry(s.facts),
        reason="Do not tell the person that you shared, because that could undermine the "
        "prevention, detection or prosecution of a serious crime.",
        not_told_reason="Telling them could undermine the prevention, detection or prosecution "
        "of a serious crime.",
    ),
    TellRow(
        id="GR-7.3",
        text="When you decide not to share, tell whoever asked.",
        when=lambda s, rec: rec is R.DO_NOT_SHARE,
        reason="Tell the person who asked that you are not sharing, and that you will reconsider "
        "if new information comes to light.",
        notify=Notify.REQUESTER_OF_REFUSAL,
    ),
)

# --- What must be recorded (golden rule 7) ---------------------------------------------------
RECORD: Final[tuple[RecordRow, ...]] = (
    RecordRow(
        id="GR-7.1",
        text="Record every decision and its reasons, whether or not you share.",
        when=lambda s, rec: True,
        item="Your decision and the reasons for it, whether or not you share.",
    ),
    RecordRow(
        id="GR-7.2a",
        text="Record what was shared.",
        when=lambda s, rec: sharing(rec),
        item="What you shared, keeping fact apart from opinion.",
    ),
    RecordRow(
        id="GR-7.2b",
        text="Record who received it.",
        when=lambda s, rec: sharing(rec),
        item="Who you shared it with: the person, their role and their agency.",
    ),
    RecordRow(
        id="GR-7.2c",
        text="Record why it was shared.",
        when=lambda s, rec: sharing(rec),
        item="The purpose of sharing.",
    ),
    RecordRow(
        id="GR-7.2d",
        text="Record the lawful basis relied on.",
        when=lambda s, rec: sharing(rec),
        item="The lawful basis you relied on (Article 6, and Article 9 with Schedule 1 or "
        "Article 10 where they apply).",
    ),
    RecordRow(
        id="GR-7.2e",
        text="Record when and how it was shared.",
        when=lambda s, rec: sharing(rec),
        item="The date you shared it and how you shared it securely.",
    ),
    RecordRow(
        id="GR-7.4",
        text="When sharing without consent, record why consent was not sought or was overridden.",
        when=lambda s, rec: sharing(rec) and not given(s.facts),
        item="Why consent was not sought, or why a refusal was overridden.",
    ),
    RecordRow(
        id="GR-7.5",
        text="When the person is not told, record why.",
        when=lambda s, rec: sharing(rec) and telling_is_risky(s.facts),
        item="Why you have not told the person that you shared.",
    ),
    RecordRow(
        id="GR-7.6",
        text="When refusing, record that the requester was told and that you will reconsider.",
        when=lambda s, rec: rec is R.DO_NOT_SHARE,
        item="That you told the requester you are not sharing, and that you will reconsider if "
        "new information comes to light.",
    ),
    RecordRow(
        id="GR-7.7",
        text="When seeking advice, record whom you asked and what they said.",
        when=lambda s, rec: rec is R.SEEK_ADVICE,
        item="Whom you asked for advice, what you told them (without naming the person where you "
        "can) and what they advised.",
    ),
    RecordRow(
        id="GR-7.8",
        text="Record the advice already received.",
        when=lambda s, rec: s.facts.advice_sought,
        item="The advice you received and who gave it.",
    ),
    RecordRow(
        id="GR-7.9",
        text="When asking for consent, record how it was asked for and the answer.",
        when=lambda s, rec: rec is R.SEEK_CONSENT,
        item="When and how you asked for consent, who you asked, what it covers and their answer.",
    ),
    RecordRow(
        id="GR-7.10",
        text="When the information is not personal data, record how you checked.",
        when=lambda s, rec: rec is R.NOT_PERSONAL_DATA,
        item="How you checked that the information cannot identify a living person.",
    ),
)

RULE_SET: Final = RuleSet(
    version=VERSION,
    required_facts=(
        "purpose",
        "purpose_clear_and_legitimate",
        "identifies_living_person",
        "confidential",
        "special_category",
        "criminal_offence_data",
        "consent",
        "consent_not_sought_reason",
        "significant_harm_concern",
        "immediate_danger",
        "consent_would_increase_risk_to_child",
        "consent_would_put_adult_at_serious_risk",
        "consent_would_undermine_crime_prevention",
        "statutory_duty_or_court_order",
        "recipient",
        "advice_sought",
    ),
    article_6=ARTICLE_6,
    conditions=CONDITIONS,
    flow=FLOW,
    tell=TELL,
    record=RECORD,
)
