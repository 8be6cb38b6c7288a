"""Rule version 2024.2: the guidance's answer for the situations 2024.1 got wrong.

Never edit the meaning of a row here once decisions have been recorded under "2024.2": write a new
module and register it in ``rules/__init__.py`` (see docs/how-to/decision-engine.md).

Every row's ``text`` ends with its source in brackets. The sources, and the short names used:

- [IS 2018 flowchart] HM Government, *Information sharing: advice for practitioners providing
  safeguarding services to children, young people, parents and carers* (July 2018), the flowchart
  "when and how to share information" and its seven principles [IS 2018 principles].
- [GR n] the seven golden rules, as the 2018 advice and its 2024 update give them (the same seven,
  in the 2024 order used by ``guidance.py``).
- [WT 2018 ch1] *Working Together to Safeguard Children* 2018, chapter 1, "Information sharing"
  (seed 001_2ff88ba17c8a7a18.txt).
- [seed 003 §3.n] the local procedures built on the 2015 advice, sections 3.2 to 3.5
  (seed 003_2f4bad6a51865a3f.txt).
- [seed 002] the golden rules in action: "follow the relevant procedures without delay; seek
  advice if unsure at any stage and record the outcome" (seed 002_bcb49cfe8873ccf2.txt).
- [ICO 10 steps n] the ICO's *10 step guide to sharing information to safeguard children*, step n.
- [DPA 2018 Sch 1 para n], [UK GDPR Art n]: the law the lawful-basis rows rest on.

What changed from 2024.1 (each bullet is a set of rows below):

1. **Emergencies first** (EM-01): immediate danger is answered before anything else, even
   contradictory answers, since nothing may delay it [IS 2018 flowchart; seed 002].
2. **Contradictions are named** (CX-*): answers that cannot all be true are shown back as
   "check your answers" before any recommendation.
3. **Not sure about harm** (HU-*): harm is graded (significant harm, child in need, welfare
   concern, none, not sure). "Not sure" means seek advice promptly from the DSL, Caldicott
   Guardian or information governance, without naming the child where possible, and record it
   [GR 3; seed 002]; it never gives "do not share": where the rest of the answers would refuse,
   the refusal row has an "unsure" twin that says to consult children's social care instead.
4. **Information about adults** (AD-*): about an adult in contact with the child, in scope when
   it bears on the child's safety [WT 2018 ch1: "be alert to sharing important information about
   any adults with whom that child has contact"]; the adult's refusal does not stop a share needed
   to protect the child [GR 4: "good reason ... where safety may be at risk"; seed 003 §3.3].
5. **Answering a request** (RQ-*): when children's social care or the police ask (section 47
   enquiry, strategy discussion, MASH enquiry), share what is relevant, without consent where
   asking would prejudice the enquiry [seed 003 §3.4]; never "refer now" to whoever is asking.
   "Tell whoever asked" appears only when somebody asked.
6. **Competent young people** (YP-*): a competent young person's wish for confidentiality is
   respected when there are no risk indicators; exploitation, abuse or a much older partner
   override it [GR 4; seed 003 §3.3; IS 2018 on young people's consent]. Aged 16 or over a young
   person is presumed competent (Mental Capacity Act 2005; Family Law Reform Act 1969 s8); under
   16, competence is assessed (Gillick).
7. **The recipient** (RV-*, OA-*): a telephone or e-mail request whose sender is not verified
   gives "do not share until verified"; any doubt needs a manager's approval [seed 003 §3.5]. A
   recipient outside every agreement can receive a one-off share with consent, or an urgent one,
   recorded as outside any agreement [ICO 10 steps 6: an agreement "may not be appropriate" for
   one-off or emergency sharing]; routine sharing still needs an agreement.
8. **Do not tell, when telling would prejudice the enquiry** (GR-2.5) [seed 003 §3.4].
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from safeshare.decisions.engine.facts import (
    About,
    AskedBy,
    ConsentState,
    Facts,
    Harm,
    NotSoughtReason,
    Recipient,
    Tristate,
)
from safeshare.decisions.engine.outcome import SHARING_RECOMMENDATIONS, Notify, Recommendation
from safeshare.decisions.engine.table import (
    ApprovalRow,
    Article6Row,
    ConditionRow,
    ContradictionRow,
    FlowRule,
    RecordRow,
    RuleSet,
    Situation,
    TellRow,
)

VERSION: Final = "2024.2"

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

PRESUMED_COMPETENT_AGE: Final = 16
"""From 16 a young person is presumed able to decide (Mental Capacity Act 2005; Family Law Reform
Act 1969 s8); younger, competence is assessed (Gillick v West Norfolk AHA [1986])."""

_PARA_18_REASONS: Final = frozenset(
    {
        NotSoughtReason.CHILD_AT_INCREASED_RISK,
        NotSoughtReason.ADULT_AT_RISK_OF_SERIOUS_HARM,
        NotSoughtReason.CANNOT_BE_GIVEN,
        NotSoughtReason.NOT_REASONABLE_TO_OBTAIN,
        NotSoughtReason.UNDUE_DELAY,
        NotSoughtReason.PREJUDICE_ENQUIRY,
    }
)
_NO_CONSENT: Final = frozenset({ConsentState.REFUSED, ConsentState.WITHDRAWN})
_ASK_CONSENT: Final = frozenset({ConsentState.NOT_ASKED, ConsentState.EXPIRED})
_WORRY: Final = frozenset({Harm.SIGNIFICANT, Harm.IN_NEED, Harm.WELFARE, Harm.NOT_SURE})

R = Recommendation


# --- Predicates over the facts: small and named, so each row reads as a sentence -------------
def danger(f: Facts) -> bool:
    return f.immediate_danger


def young_person_at_risk(f: Facts) -> bool:
    """A young person asked for confidentiality, and there are indicators of exploitation, abuse
    or a much older partner: a child protection concern, whatever the wish [GR 4; seed 003 §3.3]."""
    return f.about is About.CHILD and f.young_person_confidentiality and f.risk_indicators


def significant(f: Facts) -> bool:
    """Suffering or likely to suffer significant harm (or the young person's risk indicators)."""
    return f.graded_harm is Harm.SIGNIFICANT or young_person_at_risk(f)


def harm_unsure(f: Facts) -> bool:
    return f.graded_harm is Harm.NOT_SURE and not young_person_at_risk(f)


def harm(f: Facts) -> bool:
    """A concern that the lawful-basis rows treat as protecting someone from harm."""
    return significant(f) or danger(f)


def reason(f: Facts) -> NotSoughtReason | None:
    """The not-sought reason, counted only when consent really was not sought."""
    return f.consent_not_sought_reason if f.consent is ConsentState.NOT_SOUGHT else None


def given(f: Facts) -> bool:
    return f.consent is ConsentState.GIVEN


def asked(f: Facts) -> bool:
    return f.asked_by is not AskedBy.NOBODY


def statutory_enquiry(f: Facts) -> bool:
    return f.asked_by is AskedBy.STATUTORY_ENQUIRY


def outside_agreement(f: Facts) -> bool:
    return f.recipient is Recipient.NOT_ENTITLED


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


def prejudices_enquiry(f: Facts) -> bool:
    return reason(f) is NotSoughtReason.PREJUDICE_ENQUIRY


def consent_risk(f: Facts) -> bool:
    """Seeking consent (or respecting a refusal) would put someone, or an inquiry, at risk."""
    return (
        f.consent_would_increase_risk_to_child
        or f.consent_would_put_adult_at_serious_risk
        or f.consent_would_undermine_crime_prevention
    )


def adult_bears_on_safety(f: Facts) -> bool:
    return f.about is About.ADULT and f.bears_on_child_safety


def adult_beside_the_point(f: Facts) -> bool:
    return f.about is About.ADULT and not f.bears_on_child_safety


def young_person_asks(f: Facts) -> bool:
    return f.about is About.CHILD and f.young_person_confidentiality and not f.risk_indicators


def presumed_competent(f: Facts) -> bool:
    return f.child_age is not None and f.child_age >= PRESUMED_COMPETENT_AGE


def competence_unsure(f: Facts) -> bool:
    """Under 16 (or of unknown age) with competence not assessed as yes or no."""
    return not presumed_competent(f) and f.child_competent is Tristate.NOT_SURE


def competent(f: Facts) -> bool:
    """Competent to decide: presumed from 16 unless assessed as not; younger, assessed as yes.
    After advice an assessment still unsure is read as competent (respecting the wish is the
    cautious reading when nothing indicates risk)."""
    if presumed_competent(f):
        return f.child_competent is not Tristate.NO
    return f.child_competent is Tristate.YES or (
        f.child_competent is Tristate.NOT_SURE and f.advice_sought
    )


def telling_is_risky(f: Facts) -> bool:
    return risk_to_child(f) or risk_to_adult(f) or risk_to_crime_inquiry(f) or prejudices_enquiry(f)


def para_18_reason(f: Facts) -> bool:
    return (
        harm(f)
        or f.consent_would_increase_risk_to_child
        or f.consent_would_put_adult_at_serious_risk
        or adult_bears_on_safety(f)
        or reason(f) in _PARA_18_REASONS
    )


def confidential(f: Facts) -> bool:
    """Confidential, or not sure (after advice, treated as confidential: the cautious reading)."""
    return f.confidential is not Tristate.NO


def lawful_reason(f: Facts) -> bool:
    return f.statutory_duty_or_court_order


def doubt(f: Facts) -> bool:
    return Tristate.NOT_SURE in (
        f.purpose_clear_and_legitimate,
        f.identifies_living_person,
        f.confidential,
    )


def consent_decides(f: Facts) -> bool:
    """Confidential, no statutory duty, nothing that makes asking or respecting a "no" unsafe:
    consent decides [GR 4; seed 003 §3.3]."""
    return confidential(f) and not lawful_reason(f) and not consent_risk(f)


def refusal_stands(f: Facts) -> bool:
    """A refusal that must be respected: consent decides, and the refusal is not an adult's
    standing between the child and protection [GR 4]."""
    return f.consent in _NO_CONSENT and consent_decides(f) and not adult_bears_on_safety(f)


def refuse(
    *, id: str, text: str, when: Callable[[Situation], bool], reason: str
) -> tuple[FlowRule, FlowRule]:
    """A "do not share" row and its twin for a harm answer of "not sure": unsure harm never
    gives "do not share" [GR 3; seed 002]; it gives "consult children's social care" advice."""
    return (
        FlowRule(
            id=f"{id}U",
            text=f"Unsure whether the worry meets a threshold, where {id} would refuse: consult "
            "children's social care rather than refuse [GR 3; seed 002].",
            when=lambda s: when(s) and harm_unsure(s.facts),
            reason="On your other answers you would not share. But you are not sure whether your "
            "worry about the child meets a threshold, so do not leave it there: consult "
            "children's social care (the front door or MASH consultation line) about the worry, "
            "without naming the child if you can, and record what they advise.",
            recommendation=R.SEEK_ADVICE,
        ),
        FlowRule(id=id, text=text, when=when, reason=reason, recommendation=R.DO_NOT_SHARE),
    )


# --- Article 6 -------------------------------------------------------------------------------
ARTICLE_6: Final[tuple[Article6Row, ...]] = (
    Article6Row(
        id="LB-01",
        text="A statutory duty or a court order to share points to the legal obligation basis "
        "[UK GDPR Art 6(1)(c); WT 2018 ch1].",
        when=lambda f: f.statutory_duty_or_court_order,
        code="art6_1_c",
        reason="You have said a statutory duty or a court order requires this, so the suggested "
        "Article 6 basis is legal obligation.",
    ),
    Article6Row(
        id="LB-02",
        text="Sharing to protect someone from immediate danger to life or limb rests on vital "
        "interests [UK GDPR Art 6(1)(d)].",
        when=lambda f: f.immediate_danger,
        code="art6_1_d",
        reason="You have said someone may be in immediate danger, so the suggested Article 6 basis "
        "is vital interests.",
    ),
    Article6Row(
        id="LB-03",
        text="Consent is the basis only where it was given and the sharing is not for a "
        "statutory, health care or protective purpose [UK GDPR Art 6(1)(a); WT 2018 ch1].",
        when=lambda f: (
            given(f)
            and not harm(f)
            and f.purpose not in STATUTORY_PURPOSES
            and f.purpose != HEALTH_CARE
        ),
        code="art6_1_a",
        reason="You have said consent was given and the purpose is not a statutory one, so the "
        "suggested Article 6 basis is consent. It must cover this purpose, this recipient and "
        "this information, and if it is withdrawn what was shared on it must be deleted.",
    ),
    Article6Row(
        id="LB-04",
        text="Where no more specific basis applies, public bodies share to carry out their "
        "public task [UK GDPR Art 6(1)(e); WT 2018 ch1].",
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
        "social care condition [UK GDPR Art 9(2)(h); DPA 2018 Sch 1 para 2].",
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
        "the statutory purposes condition [UK GDPR Art 9(2)(g); DPA 2018 Sch 1 para 6].",
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
        "risk can rely on the safeguarding condition [DPA 2018 Sch 1 para 18; WT 2018 ch1].",
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
        "on the unlawful acts condition [DPA 2018 Sch 1 para 10].",
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
        "the statutory purposes condition [DPA 2018 Sch 1 para 6].",
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
        "consent [UK GDPR Art 9(2)(a); DPA 2018 Sch 1 para 29].",
        when=given,
        article_9="art9_2_a",
        schedule_1=None,
        article_10="art10_dpa_sch1_29",
        reason="You have said consent was given, so the sensitive information can be shared on "
        "explicit consent (Article 9(2)(a); for criminal offence data Schedule 1 paragraph 29). "
        "Make sure the consent was explicit and covers this information and this recipient.",
    ),
)

# --- Contradictions: answers that cannot all be true -----------------------------------------
CONTRADICTIONS: Final[tuple[ContradictionRow, ...]] = (
    ContradictionRow(
        id="CX-01",
        text="You have said the information does not identify anyone, but also that it is "
        "special category or criminal offence data, which is always about an identifiable "
        "person [UK GDPR Art 4(1), 9, 10].",
        when=lambda f: (
            f.identifies_living_person is Tristate.NO
            and (f.special_category or f.criminal_offence_data)
        ),
        fields=("identifies_living_person", "special_category", "criminal_offence_data"),
    ),
    ContradictionRow(
        id="CX-02",
        text="You have said the information does not identify anyone, but you have a worry "
        "about harm to a child it describes: a worry about a child is about someone who can be "
        "identified, or it cannot be acted on [IS 2018 flowchart].",
        when=lambda f: (
            f.identifies_living_person is Tristate.NO
            and f.graded_harm in (Harm.SIGNIFICANT, Harm.IN_NEED)
        ),
        fields=("identifies_living_person", "harm"),
    ),
    ContradictionRow(
        id="CX-03",
        text="You have said consent was given, but also that seeking consent would put a child "
        "or an adult at risk or undermine a crime inquiry: if it was sought, that risk has "
        "either happened or was not there [seed 003 §3.3].",
        when=lambda f: given(f) and consent_risk(f),
        fields=("consent", "consent_risks"),
    ),
    ContradictionRow(
        id="CX-04",
        text="You have said seeking consent would put a child at increased risk of significant "
        "harm, but also that you have no worry about harm to the child [seed 003 §3.3].",
        when=lambda f: f.graded_harm is Harm.NONE and risk_to_child(f),
        fields=("harm", "consent_risks"),
    ),
    ContradictionRow(
        id="CX-05",
        text="You have said the information about the adult bears on the child's safety, but "
        "also that you have no worry about the child [WT 2018 ch1].",
        when=lambda f: adult_bears_on_safety(f) and f.graded_harm is Harm.NONE,
        fields=("bears_on_child_safety", "harm"),
    ),
    ContradictionRow(
        id="CX-06",
        text="You have said a young person asked for confidentiality, but the child's age is "
        "18 or over: they decide as an adult [Children Act 1989 s105].",
        when=lambda f: (
            f.young_person_confidentiality and f.child_age is not None and f.child_age >= 18
        ),
        fields=("young_person_confidentiality", "child_age"),
    ),
)

# --- The flow --------------------------------------------------------------------------------
FLOW: Final[tuple[FlowRule, ...]] = (
    FlowRule(
        id="EM-01",
        text="When anyone may be in immediate danger, contact the police or children's social "
        "care at once; nothing else comes first [IS 2018 flowchart; seed 002; WT 2018 ch1].",
        when=lambda s: danger(s.facts),
        reason="You have said someone may be in immediate danger, so call the police on 999 or "
        "children's social care now. You do not need consent, you should not wait for advice, "
        "and you can record the rest afterwards.",
        recommendation=R.REFER_NOW,
    ),
    FlowRule(
        id="CX-00",
        text="Answers that contradict each other are shown back before any recommendation.",
        when=lambda s: bool(s.contradictions),
        reason="Some of your answers contradict each other. Look at them again: nothing is "
        "recommended until they agree.",
        recommendation=R.CHECK_ANSWERS,
    ),
    FlowRule(
        id="GR-3.2",
        text="Doubt never delays action when a child may be suffering significant harm: act and "
        "seek advice at the same time [GR 3; seed 002].",
        when=lambda s: significant(s.facts) and doubt(s.facts) and not s.facts.advice_sought,
        reason="You are not sure about part of this, but you are worried a child may be suffering "
        "significant harm, so do not wait: act now and ask for advice at the same time.",
    ),
    FlowRule(
        id="PU-01",
        text="A concern about significant harm must reach children's social care or the police "
        "even when the request in front of you has no proper purpose [WT 2018 ch1].",
        when=lambda s: s.facts.purpose_clear_and_legitimate is Tristate.NO and significant(s.facts),
        reason="You have said this request has no clear and legitimate purpose, so do not share "
        "for it. But you are worried a child may be suffering significant harm, so refer that "
        "concern to children's social care or the police now.",
        recommendation=R.REFER_NOW,
    ),
    *refuse(
        id="PU-02",
        text="Without a clear and legitimate purpose, information is not shared "
        "[IS 2018 flowchart; IS 2018 principles: necessary and proportionate].",
        when=lambda s: s.facts.purpose_clear_and_legitimate is Tristate.NO,
        reason="You have said there is no clear and legitimate purpose for sharing, so do not "
        "share. Reconsider if the purpose becomes clear.",
    ),
    FlowRule(
        id="HU-01",
        text="Unsure whether a worry about a child meets a threshold: seek advice promptly, "
        "without naming the child where you can, and record it [GR 3; seed 002].",
        when=lambda s: harm_unsure(s.facts) and not s.facts.advice_sought,
        reason="You are not sure whether your worry about the child is significant harm, a "
        "child in need or a welfare concern. Seek advice promptly, today, from your designated "
        "safeguarding lead, your Caldicott Guardian or information governance, or children's "
        "social care's consultation line. Describe the situation without naming the child or "
        "family where you can, and record whom you asked and what they advised. Do not sit on "
        "the worry while you wait.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="PU-03",
        text="Unsure whether the purpose is clear and legitimate: ask for advice first "
        "[IS 2018 flowchart; GR 3].",
        when=lambda s: (
            s.facts.purpose_clear_and_legitimate is Tristate.NOT_SURE
            and not significant(s.facts)
            and not s.facts.advice_sought
        ),
        reason="You are not sure the purpose is clear and legitimate, so ask your designated "
        "safeguarding lead, manager or information governance lead before sharing, without "
        "naming the person if you can.",
        recommendation=R.SEEK_ADVICE,
    ),
    *refuse(
        id="PU-04",
        text="Still unsure of the purpose after advice: do not share until the purpose is clear "
        "[IS 2018 flowchart].",
        when=lambda s: (
            s.facts.purpose_clear_and_legitimate is Tristate.NOT_SURE and not significant(s.facts)
        ),
        reason="You have sought advice and are still not sure the purpose is clear and "
        "legitimate, so do not share for now. Reconsider if the purpose becomes clear.",
    ),
    FlowRule(
        id="ID-01",
        text="Information that cannot identify a living person is not personal data and can be "
        "shared without a lawful basis [IS 2018 flowchart; GR 1].",
        when=lambda s: s.facts.identifies_living_person is Tristate.NO,
        reason="You have said the information does not identify a living person, so data "
        "protection law does not apply to it and you may share it. Check that nothing in it, "
        "alone or with other information, could identify someone.",
        recommendation=R.NOT_PERSONAL_DATA,
    ),
    FlowRule(
        id="ID-02",
        text="Unsure whether the information identifies someone: ask for advice first "
        "[IS 2018 flowchart; GR 3].",
        when=lambda s: (
            s.facts.identifies_living_person is Tristate.NOT_SURE
            and not significant(s.facts)
            and not s.facts.advice_sought
        ),
        reason="You are not sure whether the information identifies a living person, so ask for "
        "advice before sharing.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="ID-03",
        text="Information that might identify someone is treated as personal data "
        "[IS 2018 flowchart].",
        when=lambda s: s.facts.identifies_living_person is Tristate.NOT_SURE,
        reason="You are not sure whether the information identifies a living person, so it is "
        "treated as personal data.",
    ),
    FlowRule(
        id="RV-01",
        text="Whoever asked by telephone or e-mail is not yet verified: do not share until you "
        "know they are who they say and entitled to it [seed 003 §3.5; IS 2018 principles: "
        "secure].",
        when=lambda s: asked(s.facts) and s.facts.recipient_verified is Tristate.NO,
        reason="You have not verified who asked. Do not share until you have: call them back "
        "through their organisation's published number or a known contact, or ask through "
        "SafeShare, and check they are entitled to the information. Then answer again. If you "
        "are yourself worried that the child is at risk of significant harm, do not wait for "
        "that: refer to children's social care or the police.",
        recommendation=R.VERIFY_RECIPIENT,
    ),
    FlowRule(
        id="YP-02",
        text="Indicators of exploitation, abuse or a much older partner override a young "
        "person's wish for confidentiality [GR 4; seed 003 §3.3].",
        when=lambda s: young_person_at_risk(s.facts),
        reason="The young person asked you to keep this confidential, but there are indicators "
        "of exploitation, abuse or a much older partner. Their safety comes first: treat this "
        "as a worry about significant harm, and tell them, in a way that keeps them safe, what "
        "you are sharing and why.",
    ),
    FlowRule(
        id="SH-01",
        text="Consent is not needed to share a concern that a child is suffering, or likely to "
        "suffer, significant harm [WT 2018 ch1; seed 003 §3.3].",
        when=lambda s: significant(s.facts) and not given(s.facts),
        reason="You are worried a child is suffering or likely to suffer significant harm. You do "
        "not need consent to share that concern, and a lack of consent is never a reason to "
        "hold it back.",
    ),
    FlowRule(
        id="RQ-01",
        text="Asked by children's social care or the police in a section 47 enquiry, strategy "
        "discussion or MASH enquiry about significant harm: share what is relevant, now "
        "[WT 2018 ch1; seed 003 §3.4].",
        when=lambda s: statutory_enquiry(s.facts) and significant(s.facts) and not given(s.facts),
        reason="Children's social care or the police are asking as part of a child protection "
        "enquiry. Share what is relevant to it now; you do not need consent, and you should not "
        "seek it where that would prejudice the enquiry. Give them what you know rather than "
        "referring the child to them.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="SH-02",
        text="Raising a significant harm concern yourself: refer to children's social care or "
        "the police without delay [WT 2018 ch1; seed 002].",
        when=lambda s: (
            significant(s.facts)
            and not asked(s.facts)
            and s.facts.recipient is Recipient.STATUTORY_PARTNER
        ),
        reason="You are worried a child may be suffering significant harm, so refer to "
        "children's social care or the police now, following your local procedures. Do not "
        "assume someone else will.",
        recommendation=R.REFER_NOW,
    ),
    FlowRule(
        id="SH-03",
        text="A significant harm concern whose intended recipient is outside every agreement is "
        "referred to children's social care or the police instead [WT 2018 ch1].",
        when=lambda s: significant(s.facts) and outside_agreement(s.facts) and not given(s.facts),
        reason="You are worried a child may be suffering significant harm, but the intended "
        "recipient has no agreement with you for this purpose and no statutory role. Refer the "
        "concern to children's social care or the police now; share with the recipient only if "
        "they advise it.",
        recommendation=R.REFER_NOW,
    ),
    FlowRule(
        id="SH-04",
        text="With consent and a significant harm concern, share with the recipient and make "
        "sure children's social care knows [WT 2018 ch1].",
        when=lambda s: significant(s.facts) and given(s.facts),
        reason="You are worried a child may be suffering significant harm and consent was given, "
        "so share with the recipient, and make sure children's social care or the police also "
        "know.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="SH-05",
        text="Without consent, a significant harm concern is still shared with the recipient who "
        "needs it, and children's social care must know [WT 2018 ch1; GR 4].",
        when=lambda s: significant(s.facts),
        reason="You are worried a child may be suffering significant harm, so share what the "
        "recipient needs without consent, and make sure children's social care or the police "
        "also know.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="RQ-02",
        text="Asked in a statutory enquiry, with consent given: share what is relevant "
        "[seed 003 §3.4].",
        when=lambda s: statutory_enquiry(s.facts) and given(s.facts),
        reason="Children's social care or the police asked and consent was given, so share what "
        "is relevant to their enquiry.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="RQ-03",
        text="Asked in a statutory enquiry where seeking consent would prejudice it: share what "
        "is relevant without consent [seed 003 §3.4].",
        when=lambda s: statutory_enquiry(s.facts) and (prejudices_enquiry(s.facts)),
        reason="Children's social care or the police asked, and seeking consent would prejudice "
        "the purpose of their enquiry, so share what is relevant without consent and record "
        "that reason.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="OA-01",
        text="Outside every agreement, with consent that covers this recipient: a one-off share "
        "is possible, recorded as outside any agreement [ICO 10 steps 6].",
        when=lambda s: outside_agreement(s.facts) and given(s.facts),
        reason="No agreement covers sharing with this recipient for this purpose, but consent "
        "was given. A one-off share on that consent is possible: it will be recorded as outside "
        "any agreement and shown to information governance. If you share with them routinely, "
        "ask for an agreement.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="OA-02",
        text="Outside every agreement and without consent: ask for consent for a one-off share, "
        "unless asking is unsafe [ICO 10 steps 6; GR 2].",
        when=lambda s: (
            outside_agreement(s.facts)
            and s.facts.consent in _ASK_CONSENT
            and not consent_risk(s.facts)
            and not lawful_reason(s.facts)
        ),
        reason="No agreement covers sharing with this recipient for this purpose. Routine "
        "sharing needs an agreement, but a one-off share is possible with the person's consent: "
        "ask for it first.",
        recommendation=R.SEEK_CONSENT,
    ),
    FlowRule(
        id="OA-03",
        text="Outside every agreement, with no consent and no urgency: ask information "
        "governance before sharing [ICO 10 steps 6; GR 3].",
        when=lambda s: (
            outside_agreement(s.facts)
            and s.facts.consent not in _NO_CONSENT
            and not lawful_reason(s.facts)
            and not s.facts.advice_sought
        ),
        reason="No agreement covers sharing with this recipient for this purpose, and you have "
        "no consent. Routine sharing without consent needs an agreement: ask your information "
        "governance lead before sharing.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="CF-01",
        text="Unsure whether the information is confidential: ask for advice first "
        "[IS 2018 flowchart; GR 3].",
        when=lambda s: s.facts.confidential is Tristate.NOT_SURE and not s.facts.advice_sought,
        reason="You are not sure whether the information is confidential, so ask for advice "
        "before sharing.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="CF-02",
        text="Information that might be confidential is treated as confidential "
        "[IS 2018 flowchart].",
        when=lambda s: s.facts.confidential is Tristate.NOT_SURE,
        reason="You have sought advice but are still not sure whether the information is "
        "confidential, so it is treated as confidential.",
    ),
    FlowRule(
        id="AD-01",
        text="Information about an adult that does not bear on the child's safety is not a "
        "safeguarding share: with no consent, ask the adult first [GR 2; WT 2018 ch1].",
        when=lambda s: (
            adult_beside_the_point(s.facts)
            and s.facts.consent in _ASK_CONSENT
            and not lawful_reason(s.facts)
            and not consent_risk(s.facts)
        ),
        reason="You have said the information is about an adult and does not bear on the "
        "child's safety, so it is not shared to protect the child. Ask the adult for consent "
        "first.",
        recommendation=R.SEEK_CONSENT,
    ),
    *refuse(
        id="AD-02",
        text="Information about an adult that does not bear on the child's safety, without the "
        "adult's consent, is not shared [GR 4; WT 2018 ch1].",
        when=lambda s: (
            adult_beside_the_point(s.facts)
            and not given(s.facts)
            and not lawful_reason(s.facts)
            and not consent_risk(s.facts)
        ),
        reason="You have said the information is about an adult, does not bear on the child's "
        "safety, and the adult has not consented, so do not share it for this purpose.",
    ),
    FlowRule(
        id="AD-03",
        text="An adult's refusal does not stop a share needed to protect the child "
        "[GR 4: 'good reason ... where safety may be at risk'; seed 003 §3.3; WT 2018 ch1].",
        when=lambda s: (
            adult_bears_on_safety(s.facts)
            and s.facts.consent in _NO_CONSENT
            and not s.condition_missing
        ),
        reason="The information is about an adult in contact with the child and bears on the "
        "child's safety. Their refusal does not stop you sharing what is needed to protect the "
        "child: share without their consent, and record why the child's safety outweighs "
        "their wishes.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="YP-01",
        text="Unsure whether a young person under 16 is competent to decide: assess it with "
        "your DSL before acting on their wish [GR 3; Gillick].",
        when=lambda s: (
            young_person_asks(s.facts)
            and competence_unsure(s.facts)
            and not s.facts.advice_sought
            and not lawful_reason(s.facts)
        ),
        reason="The young person asked you to keep this confidential. Whether you must respect "
        "that depends on whether they understand what they are deciding (Gillick competence). "
        "Assess it with your designated safeguarding lead, and record the assessment.",
        recommendation=R.SEEK_ADVICE,
    ),
    *refuse(
        id="YP-03",
        text="A competent young person's wish for confidentiality is respected when nothing "
        "indicates risk [GR 4; seed 003 §3.3; IS 2018 on young people].",
        when=lambda s: (
            young_person_asks(s.facts)
            and competent(s.facts)
            and not lawful_reason(s.facts)
            and not consent_risk(s.facts)
        ),
        reason="The young person is competent to decide and asked you to keep this confidential, "
        "and nothing indicates exploitation, abuse or a much older partner, so respect their "
        "wish: do not share. Record your assessment of their competence, keep talking with them "
        "about who could help, and reconsider at once if any risk appears.",
    ),
    *refuse(
        id="CN-01",
        text="Respect a refusal or withdrawal of consent for confidential information unless "
        "another lawful reason applies [GR 4; seed 003 §3.3].",
        when=lambda s: refusal_stands(s.facts) and s.facts.graded_harm is not Harm.IN_NEED,
        reason="You have said consent was refused or withdrawn, the information is confidential, "
        "no statutory duty or court order applies, and there is no risk that overrides their "
        "wishes, so do not share. Reconsider if anything changes.",
    ),
    FlowRule(
        id="CN-02",
        text="A refusal for a child who may be in need: talk it through with your DSL before "
        "deciding whether the child's welfare overrides it [WT 2018 ch1; GR 3; GR 4].",
        when=lambda s: refusal_stands(s.facts) and not s.facts.advice_sought,
        reason="You think the child may be in need and consent was refused. Working Together "
        "expects a child in need to be known to children's social care, but a refusal should be "
        "respected where it can. Talk it through with your designated safeguarding lead now, "
        "and record what you decide.",
        recommendation=R.SEEK_ADVICE,
    ),
    *refuse(
        id="CN-03",
        text="After advice, a refusal for a child who may be in need stands unless the advice "
        "found good reason to override it [GR 4].",
        when=lambda s: refusal_stands(s.facts),
        reason="You have sought advice about the refusal. Unless that advice found good reason "
        "to override it (then answer again with that reason), do not share; keep working with "
        "the family and reconsider if the worry grows.",
    ),
    FlowRule(
        id="CN-04",
        text="Confidential information with consent not yet asked or expired: ask first "
        "[GR 2; seed 003 §3.2: early help always with consent].",
        when=lambda s: s.facts.consent in _ASK_CONSENT and consent_decides(s.facts),
        reason="You have said consent has not been asked for, or has expired, and nothing makes "
        "asking unsafe, so be open with the person about why, what and with whom you want to "
        "share, and ask for their consent first.",
        recommendation=R.SEEK_CONSENT,
    ),
    FlowRule(
        id="CN-05",
        text="Consent not sought without one of the reasons the guidance allows: ask for advice "
        "[seed 003 §3.3].",
        when=lambda s: (
            s.facts.consent is ConsentState.NOT_SOUGHT
            and s.facts.consent_not_sought_reason is None
            and consent_decides(s.facts)
            and not s.facts.advice_sought
        ),
        reason="You have said consent was not sought but not why. The guidance allows not seeking "
        "consent only for specific reasons, so ask for advice.",
        recommendation=R.SEEK_ADVICE,
    ),
    FlowRule(
        id="CN-06",
        text="After advice, with no allowed reason for not seeking consent: ask for consent "
        "[GR 2].",
        when=lambda s: (
            s.facts.consent is ConsentState.NOT_SOUGHT
            and s.facts.consent_not_sought_reason is None
            and consent_decides(s.facts)
        ),
        reason="You have sought advice and still have no allowed reason for not seeking consent, "
        "so ask the person for their consent first.",
        recommendation=R.SEEK_CONSENT,
    ),
    FlowRule(
        id="LC-01",
        text="Sensitive information needs an extra legal condition; with none available, ask for "
        "advice [UK GDPR Art 9, 10; WT 2018 ch1].",
        when=lambda s: s.condition_missing and not s.facts.advice_sought,
        reason="You have said the information is special category or criminal offence data, and "
        "none of the extra conditions the law requires fits your answers, so ask your "
        "information governance lead before sharing.",
        recommendation=R.SEEK_ADVICE,
    ),
    *refuse(
        id="LC-02",
        text="Sensitive information with no legal condition available, even after advice, is not "
        "shared [UK GDPR Art 9, 10].",
        when=lambda s: s.condition_missing,
        reason="You have sought advice, but none of the extra conditions the law requires for "
        "special category or criminal offence data fits your answers, so do not share it. "
        "Reconsider if the facts change (for example if consent is given).",
    ),
    FlowRule(
        id="SR-01",
        text="With consent that covers this purpose, recipient and information, share "
        "[GR 4; IS 2018 flowchart].",
        when=lambda s: given(s.facts),
        reason="You have said consent was given for this purpose and recipient, so share what is "
        "needed, securely. Remember the person may not expect everything to be passed on.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="SR-02",
        text="A statutory duty or court order is a lawful reason to share without consent "
        "[WT 2018 ch1: legal obligation].",
        when=lambda s: lawful_reason(s.facts),
        reason="You have said a statutory duty or court order requires you to share, so share "
        "without consent and record why consent did not decide it.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="SR-03",
        text="Consent may be overridden, or not sought, where asking would put a child or an "
        "adult at risk or undermine a serious crime inquiry [seed 003 §3.3; GR 4].",
        when=lambda s: consent_risk(s.facts),
        reason="You have said that seeking or respecting consent would put a child at increased "
        "risk, put an adult at risk of serious harm, or undermine the prevention, detection or "
        "prosecution of a serious crime, so share without consent and record that reason.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="SR-04",
        text="Consent not sought for a reason the guidance allows: share without it and record "
        "the reason [seed 003 §3.3, §3.4; DPA 2018 Sch 1 para 18(2)].",
        when=lambda s: reason(s.facts) is not None,
        reason="You have said consent was not sought for a reason the guidance allows, so share "
        "without consent and record that reason.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="SR-05",
        text="Information that is not confidential may be shared even when the person said no; "
        "record why [IS 2018 flowchart].",
        when=lambda s: s.facts.consent in _NO_CONSENT,
        reason="You have said the information is not confidential, so a refusal of consent does "
        "not stop you sharing it on another lawful basis. Share without consent, consider "
        "carefully how, and record why.",
        recommendation=R.SHARE_WITHOUT_CONSENT,
    ),
    FlowRule(
        id="SR-06",
        text="Information that is not confidential can be shared on a lawful basis "
        "[IS 2018 flowchart].",
        when=lambda s: s.facts.confidential is Tristate.NO,
        reason="You have said the information is not confidential, so you can share it on a "
        "lawful basis; be open with the person and consider how you share it.",
        recommendation=R.SHARE,
    ),
    FlowRule(
        id="FC-99",
        text="If no other rule fits, ask for advice [GR 3].",
        when=lambda s: True,
        reason="Your answers did not match any rule, so ask for advice.",
        recommendation=R.SEEK_ADVICE,
    ),
)


def sharing(rec: Recommendation) -> bool:
    return rec in SHARING_RECOMMENDATIONS


# --- Who must be told (golden rules 2 and 7) -------------------------------------------------
TELL: Final[tuple[TellRow, ...]] = (
    TellRow(
        id="GR-2.1",
        text="Tell the person that their information has been shared, unless that would create "
        "or increase a risk of harm [GR 2].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and not telling_is_risky(s.facts),
        reason="Tell the person (or their family, where appropriate) what you shared, with whom "
        "and why, unless that would create or increase a risk of harm.",
        notify=Notify.INDIVIDUAL,
    ),
    TellRow(
        id="GR-2.2",
        text="Do not tell the person when that would put a child at greater risk [GR 2].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and risk_to_child(s.facts),
        reason="Do not tell the person that you shared, because that could put a child at "
        "increased risk of significant harm.",
        not_told_reason="Telling them could put a child at increased risk of significant harm.",
    ),
    TellRow(
        id="GR-2.3",
        text="Do not tell the person when that would put an adult at risk of serious harm [GR 2].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and risk_to_adult(s.facts),
        reason="Do not tell the person that you shared, because that could put an adult at risk "
        "of serious harm.",
        not_told_reason="Telling them could put an adult at risk of serious harm.",
    ),
    TellRow(
        id="GR-2.4",
        text="Do not tell the person when that would undermine a serious crime inquiry [GR 2].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and risk_to_crime_inquiry(s.facts),
        reason="Do not tell the person that you shared, because that could undermine the "
        "prevention, detection or prosecution of a serious crime.",
        not_told_reason="Telling them could undermine the prevention, detection or prosecution "
        "of a serious crime.",
    ),
    TellRow(
        id="GR-2.5",
        text="Do not tell the person that records were requested when that would prejudice the "
        "purpose of the request [seed 003 §3.4].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and prejudices_enquiry(s.facts),
        reason="Do not tell the person that their information was asked for and shared, because "
        "that would prejudice the purpose of the enquiry.",
        not_told_reason="Telling them would prejudice the purpose of the request or enquiry.",
    ),
    TellRow(
        id="GR-7.3",
        text="When you decide not to share what somebody asked for, tell them, and that you "
        "will reconsider [GR 7].",
        when=lambda s, rec: rec is R.DO_NOT_SHARE and asked(s.facts),
        reason="Tell the person who asked that you are not sharing, and that you will reconsider "
        "if new information comes to light.",
        notify=Notify.REQUESTER_OF_REFUSAL,
    ),
)

# --- A DSL's or manager's approval (seed 003 section 3.5) ------------------------------------
APPROVAL: Final[tuple[ApprovalRow, ...]] = (
    ApprovalRow(
        id="RV-02",
        text="Where there is any doubt that whoever asked is entitled, a manager approves the "
        "share [seed 003 §3.5].",
        when=lambda s, rec: asked(s.facts) and s.facts.recipient_verified is not Tristate.YES,
        reason="You are not sure that whoever asked is who they say or entitled to it, so a "
        "designated safeguarding lead or manager must approve the share before it goes.",
    ),
)

# --- What must be recorded (golden rule 7, seed 003 section 3.5) -----------------------------
RECORD: Final[tuple[RecordRow, ...]] = (
    RecordRow(
        id="GR-7.1",
        text="Record every decision and its reasons, whether or not you share [GR 7].",
        when=lambda s, rec: rec is not R.CHECK_ANSWERS,
        item="Your decision and the reasons for it, whether or not you share.",
    ),
    RecordRow(
        id="GR-7.2a",
        text="Record what was shared [GR 7].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS,
        item="What you shared, keeping fact apart from opinion.",
    ),
    RecordRow(
        id="GR-7.2b",
        text="Record who received it [GR 7].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS,
        item="Who you shared it with: the person, their role and their agency.",
    ),
    RecordRow(
        id="GR-7.2c",
        text="Record why it was shared [GR 7].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS,
        item="The purpose of sharing.",
    ),
    RecordRow(
        id="GR-7.2d",
        text="Record the lawful basis relied on [GR 4; GR 7].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS,
        item="The lawful basis you relied on (Article 6, and Article 9 with Schedule 1 or "
        "Article 10 where they apply).",
    ),
    RecordRow(
        id="GR-7.2e",
        text="Record when and how it was shared [GR 7; seed 003 §3.5].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS,
        item="The date you shared it and how you shared it securely.",
    ),
    RecordRow(
        id="GR-7.4",
        text="When sharing without consent, record why consent was not sought or was overridden "
        "[GR 7; seed 003 §3.3].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and not given(s.facts),
        item="Why consent was not sought, or why a refusal was overridden.",
    ),
    RecordRow(
        id="GR-7.5",
        text="When the person is not told, record why [GR 2; GR 7].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and telling_is_risky(s.facts),
        item="Why you have not told the person that you shared.",
    ),
    RecordRow(
        id="GR-7.6",
        text="When refusing a request, record that the requester was told and that you will "
        "reconsider [GR 7].",
        when=lambda s, rec: rec is R.DO_NOT_SHARE and asked(s.facts),
        item="That you told the requester you are not sharing, and that you will reconsider if "
        "new information comes to light.",
    ),
    RecordRow(
        id="GR-7.7",
        text="When seeking advice, record whom you asked and what they said [GR 3; seed 002].",
        when=lambda s, rec: rec is R.SEEK_ADVICE,
        item="Whom you asked for advice, what you told them (without naming the person where you "
        "can) and what they advised.",
    ),
    RecordRow(
        id="GR-7.8",
        text="Record the advice already received [GR 3; seed 002].",
        when=lambda s, rec: s.facts.advice_sought,
        item="The advice you received and who gave it.",
    ),
    RecordRow(
        id="GR-7.9",
        text="When asking for consent, record how it was asked for and the answer [seed 003 §3.3].",
        when=lambda s, rec: rec is R.SEEK_CONSENT,
        item="When and how you asked for consent, who you asked, what it covers and their answer.",
    ),
    RecordRow(
        id="GR-7.10",
        text="When the information is not personal data, record how you checked "
        "[IS 2018 flowchart].",
        when=lambda s, rec: rec is R.NOT_PERSONAL_DATA,
        item="How you checked that the information cannot identify a living person.",
    ),
    RecordRow(
        id="GR-7.11",
        text="When a young person asked for confidentiality, record your assessment of their "
        "competence and their wishes [GR 7; Gillick].",
        when=lambda s, rec: s.facts.young_person_confidentiality and rec is not R.CHECK_ANSWERS,
        item="Your assessment of the young person's competence to decide, what they asked and "
        "how you responded to it.",
    ),
    RecordRow(
        id="GR-7.12",
        text="When sharing outside any agreement, record it as a one-off and why [ICO 10 steps 6].",
        when=lambda s, rec: rec in SHARING_RECOMMENDATIONS and outside_agreement(s.facts),
        item="That this is a one-off share outside any information sharing agreement, and why "
        "(consent, or urgency).",
    ),
    RecordRow(
        id="GR-7.13",
        text="When answering a request, record how you checked who asked [seed 003 §3.5].",
        when=lambda s, rec: asked(s.facts) and rec is not R.CHECK_ANSWERS,
        item="Who asked, how they asked, and how you checked they are who they say and "
        "entitled to it (confirm in writing what you passed on).",
    ),
    RecordRow(
        id="GR-7.14",
        text="When an adult's refusal did not decide it, record why the child's safety "
        "outweighed it [GR 4; GR 7].",
        when=lambda s, rec: (
            rec in SHARING_RECOMMENDATIONS
            and adult_bears_on_safety(s.facts)
            and s.facts.consent in _NO_CONSENT
        ),
        item="Why the child's safety outweighed the adult's refusal.",
    ),
    RecordRow(
        id="GR-7.15",
        text="In an emergency, record what you did as soon as the danger has passed "
        "[GR 7; seed 002].",
        when=lambda s, rec: danger(s.facts),
        item="Whom you contacted, when, and what you told them, as soon as the danger has passed.",
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
        "immediate_danger",
        "consent_would_increase_risk_to_child",
        "consent_would_put_adult_at_serious_risk",
        "consent_would_undermine_crime_prevention",
        "statutory_duty_or_court_order",
        "recipient",
        "advice_sought",
    ),
    optional_facts=(
        "consent_not_sought_reason",
        "about",
        "bears_on_child_safety",
        "asked_by",
        "recipient_verified",
        "young_person_confidentiality",
        "child_age",
        "child_competent",
        "risk_indicators",
    ),
    article_6=ARTICLE_6,
    conditions=CONDITIONS,
    contradictions=CONTRADICTIONS,
    flow=FLOW,
    tell=TELL,
    approval=APPROVAL,
    record=RECORD,
)
