"""Situations written from the guidance, and what the guidance says to do in each.

Every row was written from the sources named in its ``source`` (never from the engine's answers):

- seed 001: Working Together to Safeguard Children 2018, chapter 1, "Information sharing"
  [WT 2018 ch1]: share with children's social care and/or the police when a child may be in need
  or at risk of significant harm; be alert to information about adults in contact with the child;
  consent is not needed when there is a lawful basis; DPA 2018 Sch 1 "safeguarding of children
  and individuals at risk".
- seed 002: the golden rules in action: follow procedures without delay; seek advice if unsure at
  any stage and record the outcome.
- seed 003: local procedures built on the 2015 advice, sections 3.1 to 3.5 and the seven golden
  rules in section 4 [GR n].
- seed 004: a seven minute briefing: if you decide not to share, tell whoever asked.
- [IS 2018 flowchart]: HM Government, Information sharing advice for practitioners (2018), its
  flowchart of questions (legitimate purpose; identifies a living person; confidential; consent;
  sufficient reason to share without it; "not sure" at any step: seek advice).
- [ICO 10 steps n]: the ICO's 10 step guide to sharing information to safeguard children (2023):
  step 6, data sharing agreements, which may not be appropriate for a one-off share; step 9,
  sharing in an emergency.

A row whose expectation the engine does not meet is left as it is (and reported); it is never
edited to match the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from safeshare.decisions.engine import (
    SHARING_RECOMMENDATIONS,
    Facts,
    InvalidFacts,
    Notify,
    Outcome,
    Recommendation,
    evaluate,
    facts_from_mapping,
)

R = Recommendation
SHARING = frozenset(SHARING_RECOMMENDATIONS)

BASE: dict[str, Any] = {
    "purpose": "early_help",
    "purpose_clear_and_legitimate": "yes",
    "identifies_living_person": "yes",
    "confidential": "yes",
    "special_category": False,
    "criminal_offence_data": False,
    "consent": "not_asked",
    "consent_not_sought_reason": None,
    "significant_harm_concern": False,
    "immediate_danger": False,
    "consent_would_increase_risk_to_child": False,
    "consent_would_put_adult_at_serious_risk": False,
    "consent_would_undermine_crime_prevention": False,
    "statutory_duty_or_court_order": False,
    "recipient": "agreement",
    "advice_sought": False,
}
"""An early help worker wants to pass on confidential information about an identified child to a
partner under an agreement, with a clear purpose, no worry about harm and consent not yet asked.
These are the 16 facts 2024.1 asks; harm is given as ``significant_harm_concern``."""

ORIGINAL_FIELDS = frozenset(BASE)


def situation(**changes: Any) -> dict[str, Any]:
    """The base mapping with ``changes``. Giving ``harm`` drops ``significant_harm_concern``
    (the validator reads it from ``harm``) unless the row gives both."""
    data = dict(BASE)
    if "harm" in changes and "significant_harm_concern" not in changes:
        del data["significant_harm_concern"]
    data.update(changes)
    return data


@dataclass(frozen=True)
class Row:
    id: str
    situation: str
    changes: dict[str, Any]
    expected: Recommendation | frozenset[Recommendation]
    source: str
    never: frozenset[Recommendation] = frozenset()
    no_consent_basis: bool = False  # neither Art 6(1)(a) consent nor Art 9(2)(a) explicit consent
    individual_told: bool | None = None  # False: not told, with a reason given
    requester_told: bool | None = None  # Notify.REQUESTER_OF_REFUSAL present / absent
    manager_approval: bool | None = None
    contradictions: bool | None = None
    basis: dict[str, str | None] = field(default_factory=dict)  # expected LawfulBasis fields
    both_versions: bool = False  # 2024.1 can express it and already gets it right

    def facts(self, version: str = "2024.2") -> Facts:
        return facts_from_mapping(situation(**self.changes), version=version)


SIG = {"significant_harm_concern": True}  # 2024.1's way of saying significant harm
CSC = {"recipient": "statutory_partner"}
S47 = {"asked_by": "statutory_enquiry", "recipient_verified": "yes", **CSC}
ASKED = {"asked_by": "other_agency", "recipient_verified": "yes"}
ADULT = {"about": "adult"}
YP = {"young_person_confidentiality": True, "consent": "refused"}

ROWS: tuple[Row, ...] = (
    # --- The classic flowchart -----------------------------------------------------------------
    Row(
        "early-help-consent-not-asked",
        "An early help referral of confidential information; the family has not yet been asked.",
        {},
        R.SEEK_CONSENT,
        "seed 003 §3.2 (early help always with consent); GR 2",
        both_versions=True,
    ),
    Row(
        "early-help-consent-given",
        "The family agreed to the early help referral, for this purpose and this recipient.",
        {"consent": "given"},
        R.SHARE,
        "GR 4; IS 2018 flowchart (confidential, consent given: share); GR 2 (tell them)",
        individual_told=True,
        both_versions=True,
    ),
    Row(
        "confidential-refused-no-override",
        "The parent says no to sharing confidential information; no worry about harm, no duty.",
        {"consent": "refused"},
        R.DO_NOT_SHARE,
        "GR 4 (respect the wishes of those who do not consent); seed 003 §3.3",
        requester_told=False,
        both_versions=True,
    ),
    Row(
        "confidential-withdrawn-no-override",
        "The parent gave consent and has now withdrawn it; nothing overrides their wish.",
        {"consent": "withdrawn"},
        R.DO_NOT_SHARE,
        "GR 4; WT 2018 ch1 (seed 001: consent can be withdrawn)",
        both_versions=True,
    ),
    Row(
        "consent-expired-ask-again",
        "Consent given last year has expired; the information is confidential, no harm worry.",
        {"consent": "expired"},
        R.SEEK_CONSENT,
        "GR 2; WT 2018 ch1 (seed 001: consent is specific and time limited)",
        both_versions=True,
    ),
    Row(
        "no-clear-purpose",
        "A request with no clear and legitimate purpose for sharing.",
        {"purpose_clear_and_legitimate": "no"},
        R.DO_NOT_SHARE,
        "IS 2018 flowchart (no legitimate purpose: do not share); GR 6 necessary",
        both_versions=True,
    ),
    Row(
        "no-clear-purpose-but-significant-harm",
        "No proper purpose for the request, but the practitioner fears significant harm.",
        {"purpose_clear_and_legitimate": "no", **SIG, **CSC},
        R.REFER_NOW,
        "WT 2018 ch1 (seed 001: share with CSC/police if significant harm); seed 003 §1",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "purpose-not-sure",
        "The practitioner is not sure the purpose is clear and legitimate.",
        {"purpose_clear_and_legitimate": "not_sure"},
        R.SEEK_ADVICE,
        "IS 2018 flowchart (not sure: seek advice); GR 3",
        both_versions=True,
    ),
    Row(
        "purpose-not-sure-significant-harm-does-not-wait",
        "Unsure of the purpose, but worried a child is suffering significant harm.",
        {"purpose_clear_and_legitimate": "not_sure", **SIG, **CSC},
        R.REFER_NOW,
        "seed 002 (follow procedures without delay); WT 2018 ch1",
        both_versions=True,
    ),
    Row(
        "not-personal-data",
        "Anonymised figures that cannot identify any living person.",
        {"identifies_living_person": "no"},
        R.NOT_PERSONAL_DATA,
        "IS 2018 flowchart (does it identify a person?); GR 1 (living individuals)",
        both_versions=True,
    ),
    Row(
        "identifies-not-sure",
        "The practitioner is not sure whether the information could identify someone.",
        {"identifies_living_person": "not_sure"},
        R.SEEK_ADVICE,
        "IS 2018 flowchart (not sure: seek advice); GR 3",
        both_versions=True,
    ),
    Row(
        "confidential-not-sure",
        "The practitioner is not sure whether the information is confidential.",
        {"confidential": "not_sure"},
        R.SEEK_ADVICE,
        "IS 2018 flowchart (not sure: seek advice); GR 3",
        both_versions=True,
    ),
    Row(
        "not-confidential",
        "Information that is not confidential (already known to the recipient), clear purpose.",
        {"confidential": "no"},
        R.SHARE,
        "IS 2018 flowchart (not confidential: share, being open about it)",
        both_versions=True,
    ),
    Row(
        "not-confidential-refused",
        "Information that is not confidential; the parent nevertheless says no.",
        {"confidential": "no", "consent": "refused"},
        R.SHARE_WITHOUT_CONSENT,
        "GR 4 (the wishes respected are about sharing confidential information)",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "court-order",
        "A court order requires the records; consent has not been asked.",
        {"statutory_duty_or_court_order": True, "purpose": "child_protection"},
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001: legal obligation basis); IS 2018 flowchart",
        no_consent_basis=True,
        basis={"article_6": "art6_1_c"},
        both_versions=True,
    ),
    Row(
        "statutory-duty-despite-refusal",
        "A statutory duty requires sharing, and the person has refused consent.",
        {"statutory_duty_or_court_order": True, "consent": "refused", "purpose": "looked_after"},
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001: consent not needed with a lawful basis); GR 4",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "special-category-health-care-with-consent",
        "A health visitor passes health information to the GP for the child's care, with consent.",
        {"purpose": "health_care", "special_category": True, "consent": "given"},
        R.SHARE,
        "WT 2018 ch1 (seed 001: special category needs Art 6 and an Art 9 condition)",
        both_versions=True,
    ),
    Row(
        "special-category-significant-harm-refused",
        "A GP's health information about a child feared at risk of significant harm; parent "
        "refuses; the GP refers to children's social care.",
        {
            "purpose": "child_protection",
            "special_category": True,
            "consent": "refused",
            **SIG,
            **CSC,
        },
        R.REFER_NOW,
        "WT 2018 ch1 (seed 001: DPA 2018 Sch 1 safeguarding of children condition, without "
        "consent)",
        no_consent_basis=True,
        basis={"schedule_1": "dpa_sch1_18"},
        both_versions=True,
    ),
    Row(
        "criminal-data-asking-would-undermine-crime-inquiry",
        "Criminal offence data for crime prevention, where asking would undermine a serious "
        "crime inquiry.",
        {
            "purpose": "crime_prevention",
            "criminal_offence_data": True,
            "consent_would_undermine_crime_prevention": True,
        },
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (third bullet: undermine prevention, detection or prosecution)",
        no_consent_basis=True,
        individual_told=False,
        both_versions=True,
    ),
    Row(
        "asking-would-increase-risk-to-child",
        "Significant harm feared and asking the parent would put the child at increased risk; "
        "sharing with a partner under agreement.",
        {"consent_would_increase_risk_to_child": True, **SIG},
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (first bullet); GR 2 (unless unsafe)",
        no_consent_basis=True,
        individual_told=False,
        both_versions=True,
    ),
    Row(
        "asking-would-put-adult-at-serious-risk",
        "Asking the father would put the mother (or a colleague) at risk of serious harm.",
        {"consent_would_put_adult_at_serious_risk": True},
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (second bullet, including a colleague)",
        no_consent_basis=True,
        individual_told=False,
        both_versions=True,
    ),
    Row(
        "not-sought-child-at-increased-risk",
        "Consent not sought because seeking it would put the child at increased risk of "
        "significant harm.",
        {
            "consent": "not_sought",
            "consent_not_sought_reason": "child_at_increased_risk",
            **SIG,
        },
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (first bullet)",
        no_consent_basis=True,
        individual_told=False,
        both_versions=True,
    ),
    Row(
        "not-sought-adult-at-risk",
        "Consent not sought because seeking it would put an adult at risk of serious harm.",
        {"consent": "not_sought", "consent_not_sought_reason": "adult_at_risk_of_serious_harm"},
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (second bullet)",
        no_consent_basis=True,
        individual_told=False,
        both_versions=True,
    ),
    Row(
        "not-sought-would-undermine-crime-investigation",
        "Consent not sought because seeking it would undermine a serious crime investigation.",
        {
            "consent": "not_sought",
            "consent_not_sought_reason": "undermine_serious_crime_investigation",
            "purpose": "crime_prevention",
        },
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (third bullet: interference with any potential investigation)",
        no_consent_basis=True,
        individual_told=False,
        both_versions=True,
    ),
    Row(
        "not-sought-cannot-be-given-special-category",
        "Health information for a child in need; nobody with parental responsibility can be "
        "reached to consent.",
        {
            "purpose": "child_in_need",
            "special_category": True,
            "consent": "not_sought",
            "consent_not_sought_reason": "cannot_be_given",
        },
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001: DPA 2018 safeguarding condition where consent cannot be given)",
        no_consent_basis=True,
        basis={"schedule_1": "dpa_sch1_18"},
        both_versions=True,
    ),
    Row(
        "not-sought-not-reasonable-special-category",
        "Health information for a child in need; consent cannot reasonably be obtained.",
        {
            "purpose": "child_in_need",
            "special_category": True,
            "consent": "not_sought",
            "consent_not_sought_reason": "not_reasonable_to_obtain",
        },
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001: it cannot be reasonably expected that consent is obtained)",
        no_consent_basis=True,
        basis={"schedule_1": "dpa_sch1_18"},
        both_versions=True,
    ),
    Row(
        "not-sought-undue-delay-significant-harm",
        "Significant harm feared; seeking consent would delay protecting the child.",
        {"consent": "not_sought", "consent_not_sought_reason": "undue_delay", **SIG},
        R.SHARE_WITHOUT_CONSENT,
        "seed 002 (follow procedures without delay); WT 2018 ch1 (seed 001)",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "consent-given-child-protection-basis-not-consent",
        "Significant harm feared, the parent agrees, the share is for child protection with a "
        "partner under agreement.",
        {"consent": "given", "purpose": "child_protection", **SIG},
        R.SHARE,
        "WT 2018 ch1 (seed 001: legal obligation or public task; consent a high standard)",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "consent-expired-significant-harm",
        "Significant harm feared; the consent on file has expired; a partner under agreement.",
        {"consent": "expired", **SIG},
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (a lack of consent should never compromise safety); WT 2018 ch1",
        no_consent_basis=True,
        both_versions=True,
    ),
    # --- Emergencies first ---------------------------------------------------------------------
    Row(
        "immediate-danger",
        "A child is in immediate danger.",
        {"immediate_danger": True},
        R.REFER_NOW,
        "IS 2018 flowchart; seed 002 (without delay); ICO 10 steps step 9 (emergency)",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "immediate-danger-beats-refusal-and-no-agreement",
        "Immediate danger, with consent refused, no clear purpose and a recipient outside every "
        "agreement.",
        {
            "immediate_danger": True,
            "consent": "refused",
            "purpose_clear_and_legitimate": "no",
            "recipient": "not_entitled",
        },
        R.REFER_NOW,
        "ICO 10 steps step 9; seed 003 §3.3 (a lack of consent never compromises safety)",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "immediate-danger-with-contradictory-answers",
        "Immediate danger, although the answers also say the (special category) information "
        "identifies nobody.",
        {"immediate_danger": True, "identifies_living_person": "no", "special_category": True},
        R.REFER_NOW,
        "seed 002 (without delay); ICO 10 steps step 9",
        both_versions=True,
    ),
    Row(
        "immediate-danger-consent-given-yet-asking-risky",
        "Immediate danger, with the contradictory answers consent given and asking would put "
        "the child at risk.",
        {
            "immediate_danger": True,
            "consent": "given",
            "consent_would_increase_risk_to_child": True,
        },
        R.REFER_NOW,
        "seed 002 (without delay); ICO 10 steps step 9",
        both_versions=True,
    ),
    Row(
        "immediate-danger-unverified-caller",
        "Immediate danger while an unverified caller from another agency is asking.",
        {"immediate_danger": True, "asked_by": "other_agency", "recipient_verified": "no"},
        R.REFER_NOW,
        "ICO 10 steps step 9; seed 002",
    ),
    Row(
        "immediate-danger-harm-not-sure",
        "Immediate danger, though the practitioner cannot grade the wider worry.",
        {"immediate_danger": True, "harm": "not_sure"},
        R.REFER_NOW,
        "seed 002 (without delay); ICO 10 steps step 9",
    ),
    Row(
        "immediate-danger-competent-young-person",
        "A competent 15-year-old asked for confidentiality, but is in immediate danger.",
        {
            "immediate_danger": True,
            **YP,
            "child_age": 15,
            "child_competent": "yes",
        },
        R.REFER_NOW,
        "seed 003 §3.3 (safety is the overriding consideration); ICO 10 steps step 9",
    ),
    # --- Not sure about harm -------------------------------------------------------------------
    Row(
        "harm-not-sure",
        "A worry about a child that the practitioner cannot place against any threshold.",
        {"harm": "not_sure"},
        R.SEEK_ADVICE,
        "seed 002 (seek advice if unsure, record it); GR 3",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "harm-not-sure-refused",
        "Unsure whether the worry meets a threshold; the parent refuses consent.",
        {"harm": "not_sure", "consent": "refused"},
        R.SEEK_ADVICE,
        "seed 002; GR 3",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "harm-not-sure-refused-after-advice",
        "Still unsure after advice whether the worry meets a threshold; the parent refuses.",
        {"harm": "not_sure", "consent": "refused", "advice_sought": True},
        R.SEEK_ADVICE,
        "seed 002 (seek advice if unsure at any stage); seed 003 §3.3 (seek advice from senior "
        "colleagues)",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "harm-not-sure-no-clear-purpose",
        "No clear purpose for the request in hand, but an ungraded worry about the child.",
        {"harm": "not_sure", "purpose_clear_and_legitimate": "no"},
        R.SEEK_ADVICE,
        "seed 002; GR 3; seed 003 §1 (no professional should assume someone else will share)",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "harm-not-sure-adult-info-beside-the-point",
        "Unsure about harm; the information is about an adult and does not bear on safety; no "
        "consent.",
        {"harm": "not_sure", **ADULT, "bears_on_child_safety": False, "consent": "refused"},
        R.SEEK_ADVICE,
        "seed 002; GR 3",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "harm-not-sure-competent-young-person-after-advice",
        "A competent 15-year-old asked for confidentiality, no risk indicators; after advice "
        "the practitioner is still unsure about harm.",
        {
            "harm": "not_sure",
            **YP,
            "child_age": 15,
            "child_competent": "yes",
            "advice_sought": True,
        },
        R.SEEK_ADVICE,
        "seed 002 (seek advice at any stage); GR 3",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "harm-not-sure-consent-given-after-advice",
        "Advice taken, still unsure about the threshold; the parent agrees to the share.",
        {"harm": "not_sure", "consent": "given", "advice_sought": True},
        R.SHARE,
        "GR 4 (share with informed consent); seed 002",
    ),
    Row(
        "harm-not-sure-not-asked-after-advice",
        "Advice taken, still unsure about the threshold; the parent has not been asked.",
        {"harm": "not_sure", "advice_sought": True},
        R.SEEK_CONSENT,
        "GR 2 (be open and seek agreement); seed 003 §3.2",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "significant-harm-raise-with-csc",
        "The practitioner fears significant harm and raises it with children's social care.",
        {"harm": "significant_harm", **CSC},
        R.REFER_NOW,
        "WT 2018 ch1 (seed 001: share with CSC and/or the police); seed 002 (without delay)",
        no_consent_basis=True,
    ),
    Row(
        "significant-harm-refused-agreement-partner",
        "Significant harm feared; the parent refuses; the share is with a partner under agreement.",
        {"consent": "refused", **SIG},
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3 (a lack of consent should never compromise the safety of a child); GR 4",
        no_consent_basis=True,
        both_versions=True,
    ),
    Row(
        "child-in-need-not-asked",
        "The child may be a child in need; the family has not been asked about a referral.",
        {"harm": "child_in_need", **CSC, "purpose": "child_in_need"},
        R.SEEK_CONSENT,
        "GR 2 (seek agreement unless unsafe); WT 2018 ch1; seed 003 §3.1",
    ),
    Row(
        "child-in-need-refused",
        "The child may be a child in need and the parent refuses; no advice sought yet.",
        {"harm": "child_in_need", "consent": "refused", **CSC, "purpose": "child_in_need"},
        R.SEEK_ADVICE,
        "WT 2018 ch1 (child in need: share with CSC) against GR 4 (respect a refusal where "
        "possible): in doubt, GR 3; seed 003 §3.3 (seek advice from senior colleagues)",
        never=frozenset({R.DO_NOT_SHARE}),
    ),
    Row(
        "welfare-concern-refused",
        "A welfare worry below the child in need threshold; the parent refuses.",
        {"harm": "welfare_concern", "consent": "refused"},
        R.DO_NOT_SHARE,
        "GR 4 (respect the wishes where possible); seed 003 §3.3",
    ),
    Row(
        "welfare-concern-not-asked",
        "A welfare worry below the child in need threshold; the parent has not been asked.",
        {"harm": "welfare_concern"},
        R.SEEK_CONSENT,
        "seed 003 §3.2 (early help with consent); GR 2",
    ),
    # --- Information about adults --------------------------------------------------------------
    Row(
        "adult-bears-on-safety-refused-child-in-need",
        "The mother's new partner's violence bears on the child's safety; he refuses; the "
        "child may be in need; sharing with a partner under agreement.",
        {
            **ADULT,
            "bears_on_child_safety": True,
            "consent": "refused",
            "harm": "child_in_need",
        },
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001: adults with whom the child has contact); GR 4 (safety at "
        "risk); seed 003 §2, §3.3",
        no_consent_basis=True,
    ),
    Row(
        "adult-bears-on-safety-refused-significant-harm",
        "A visiting relative's history bears on the child's safety; he refuses; significant "
        "harm feared; sharing with a partner under agreement.",
        {
            **ADULT,
            "bears_on_child_safety": True,
            "consent": "refused",
            "harm": "significant_harm",
        },
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001); seed 003 §3.3",
        no_consent_basis=True,
    ),
    Row(
        "adult-bears-on-safety-withdrawn-welfare",
        "A parent's drinking bears on the child's safety; she withdraws consent; a welfare worry.",
        {
            **ADULT,
            "bears_on_child_safety": True,
            "consent": "withdrawn",
            "harm": "welfare_concern",
        },
        R.SHARE_WITHOUT_CONSENT,
        "GR 4 (good reason where safety may be at risk); WT 2018 ch1 (seed 001)",
        no_consent_basis=True,
    ),
    Row(
        "adult-bears-on-safety-significant-harm-raise-with-csc",
        "The partner's information bears on the child's safety, significant harm feared, he "
        "refuses: the practitioner raises it with children's social care.",
        {
            **ADULT,
            "bears_on_child_safety": True,
            "consent": "refused",
            "harm": "significant_harm",
            **CSC,
        },
        R.REFER_NOW,
        "WT 2018 ch1 (seed 001: share with CSC and/or the police)",
        no_consent_basis=True,
    ),
    Row(
        "adult-bears-on-safety-not-asked",
        "A parent's information bears on the child's safety (a welfare worry); the parent has "
        "not been asked and asking is safe.",
        {**ADULT, "bears_on_child_safety": True, "harm": "welfare_concern"},
        R.SEEK_CONSENT,
        "GR 2 (seek agreement unless unsafe or inappropriate)",
    ),
    Row(
        "adult-beside-the-point-refused",
        "An uncle's own health history, irrelevant to the child's safety; he refuses.",
        {**ADULT, "bears_on_child_safety": False, "consent": "refused"},
        R.DO_NOT_SHARE,
        "GR 4 (respect the wishes); WT 2018 ch1 (only adults' information that may impact the "
        "child's safety)",
    ),
    Row(
        "adult-beside-the-point-not-asked",
        "A parent's information that does not bear on the child's safety; not yet asked.",
        {**ADULT, "bears_on_child_safety": False},
        R.SEEK_CONSENT,
        "GR 2 (be open and seek agreement)",
        never=frozenset(SHARING),
    ),
    Row(
        "adult-beside-the-point-given",
        "A parent agrees to share her information, which does not bear on the child's safety.",
        {**ADULT, "bears_on_child_safety": False, "consent": "given"},
        R.SHARE,
        "GR 4 (share with informed consent)",
    ),
    # --- Answering a request or raising a concern -----------------------------------------------
    Row(
        "s47-enquiry-significant-harm-not-asked",
        "Children's social care, in a section 47 enquiry, ask (verified) what the school knows.",
        {**S47, "harm": "significant_harm", "purpose": "child_protection"},
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001); seed 003 §3.4 (s47: inform the person that records were "
        "requested)",
        never=frozenset({R.REFER_NOW}),
        no_consent_basis=True,
        individual_told=True,
        requester_told=False,
    ),
    Row(
        "strategy-discussion-significant-harm-refused",
        "Police in a strategy discussion ask (verified); significant harm; the parent refuses.",
        {**S47, "harm": "significant_harm", "consent": "refused", "purpose": "child_protection"},
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001); seed 003 §3.3, §3.4",
        never=frozenset({R.REFER_NOW}),
        no_consent_basis=True,
    ),
    Row(
        "s47-enquiry-significant-harm-consent-given",
        "Children's social care ask in a section 47 enquiry and the parent has agreed.",
        {**S47, "harm": "significant_harm", "consent": "given", "purpose": "child_protection"},
        R.SHARE,
        "seed 003 §3.4; WT 2018 ch1 (seed 001: legal obligation or public task, not consent, "
        "for statutory safeguarding)",
        never=frozenset({R.REFER_NOW}),
        no_consent_basis=True,
    ),
    Row(
        "raising-significant-harm-nobody-asked",
        "Nobody asked: the practitioner raises a significant harm concern with CSC.",
        {**SIG, **CSC, "purpose": "child_protection"},
        R.REFER_NOW,
        "WT 2018 ch1 (seed 001); seed 003 §1 (do not assume someone else will)",
        requester_told=False,
        both_versions=True,
    ),
    Row(
        "mash-enquiry-prejudice-enquiry",
        "A verified MASH enquiry; telling the family would prejudice its purpose.",
        {
            **S47,
            "purpose": "mash_triage",
            "consent": "not_sought",
            "consent_not_sought_reason": "prejudice_enquiry",
            "harm": "child_in_need",
        },
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.4 (unless to do so would prejudice the purpose of the request)",
        no_consent_basis=True,
        individual_told=False,
    ),
    Row(
        "s47-enquiry-prejudice-enquiry",
        "A verified section 47 enquiry; seeking consent or telling would prejudice it.",
        {
            **S47,
            "purpose": "child_protection",
            "consent": "not_sought",
            "consent_not_sought_reason": "prejudice_enquiry",
            "harm": "significant_harm",
        },
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.4",
        never=frozenset({R.REFER_NOW}),
        no_consent_basis=True,
        individual_told=False,
    ),
    Row(
        "review-request-prejudice-enquiry",
        "Records requested (verified) for a review or tribunal; telling would prejudice it.",
        {
            **ASKED,
            "purpose": "child_protection",
            "consent": "not_sought",
            "consent_not_sought_reason": "prejudice_enquiry",
        },
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.4 (inquiry, tribunal or serious case review)",
        no_consent_basis=True,
        individual_told=False,
    ),
    Row(
        "other-agency-asked-refused",
        "Another agency (verified) asks for confidential information; the parent refuses; no "
        "harm worry.",
        {**ASKED, "consent": "refused"},
        R.DO_NOT_SHARE,
        "GR 4; seed 004 (tell the requester you are not sharing); GR 7",
        requester_told=True,
    ),
    Row(
        "other-agency-asked-consent-given",
        "Another agency (verified) asks; the parent has agreed.",
        {**ASKED, "consent": "given"},
        R.SHARE,
        "GR 4; seed 003 §3.5 (recipient entitled)",
        requester_told=False,
        manager_approval=False,
    ),
    Row(
        "other-agency-asked-significant-harm-refused",
        "A verified health visitor asks; significant harm feared; the parent refuses.",
        {**ASKED, "consent": "refused", "harm": "significant_harm"},
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.3; GR 4 (safety may be at risk)",
        no_consent_basis=True,
        requester_told=False,
    ),
    Row(
        "caller-in-doubt-refused",
        "Another agency asks, some doubt about the caller; the parent refuses; no harm worry.",
        {"asked_by": "other_agency", "recipient_verified": "not_sure", "consent": "refused"},
        R.DO_NOT_SHARE,
        "GR 4; seed 004 (tell the requester you are not sharing)",
        requester_told=True,
    ),
    # --- Recipient entitlement -----------------------------------------------------------------
    Row(
        "caller-not-verified",
        "A telephone caller says they are from another agency; not yet verified; consent given.",
        {"asked_by": "other_agency", "recipient_verified": "no", "consent": "given"},
        R.VERIFY_RECIPIENT,
        "seed 003 §3.5 (care that the recipient is entitled)",
        never=frozenset(SHARING),
    ),
    Row(
        "caller-claims-s47-not-verified",
        "An e-mail claiming to be from a police officer in a s47 enquiry; not verified.",
        {
            "asked_by": "statutory_enquiry",
            "recipient_verified": "no",
            **CSC,
            "harm": "significant_harm",
            "purpose": "child_protection",
        },
        R.VERIFY_RECIPIENT,
        "seed 003 §3.5 (requests by telephone or electronically)",
    ),
    Row(
        "caller-in-doubt-consent-given",
        "Another agency asks; the practitioner has some doubt about the caller; consent given.",
        {"asked_by": "other_agency", "recipient_verified": "not_sure", "consent": "given"},
        R.SHARE,
        "seed 003 §3.5 (any doubt: not without a manager's approval)",
        manager_approval=True,
    ),
    Row(
        "s47-caller-in-doubt",
        "A section 47 enquiry, significant harm, but some doubt about who is asking.",
        {
            "asked_by": "statutory_enquiry",
            "recipient_verified": "not_sure",
            **CSC,
            "harm": "significant_harm",
            "purpose": "child_protection",
        },
        R.SHARE_WITHOUT_CONSENT,
        "seed 003 §3.4, §3.5 (any doubt: a manager's approval)",
        manager_approval=True,
        no_consent_basis=True,
    ),
    Row(
        "outside-agreement-consent-given",
        "A one-off share with a recipient outside every agreement, with the family's consent.",
        {"recipient": "not_entitled", "consent": "given"},
        R.SHARE,
        "ICO 10 steps step 6 (an agreement may not be needed for a one-off share); GR 4",
    ),
    Row(
        "outside-agreement-not-asked",
        "A recipient outside every agreement; the family has not been asked.",
        {"recipient": "not_entitled"},
        R.SEEK_CONSENT,
        "ICO 10 steps step 6; GR 2 (seek agreement)",
    ),
    Row(
        "outside-agreement-refused",
        "A recipient outside every agreement; the parent refuses; no harm worry.",
        {"recipient": "not_entitled", "consent": "refused"},
        R.DO_NOT_SHARE,
        "GR 4; ICO 10 steps step 6",
    ),
    Row(
        "outside-agreement-significant-harm",
        "Significant harm feared and the intended recipient is outside every agreement.",
        {"recipient": "not_entitled", **SIG},
        R.REFER_NOW,
        "WT 2018 ch1 (seed 001: share with CSC and/or the police)",
        both_versions=True,
    ),
    # --- Confidential information from a young person ------------------------------------------
    Row(
        "competent-15-no-indicators",
        "A Gillick-competent 15-year-old asks the school nurse to keep a confidence; nothing "
        "indicates risk.",
        {**YP, "child_age": 15, "child_competent": "yes", "purpose": "health_care"},
        R.DO_NOT_SHARE,
        "GR 4 (respect the wishes); seed 003 §3.2 (age and understanding), §3.3",
    ),
    Row(
        "competent-14-no-indicators-not-asked",
        "A competent 14-year-old asks for confidentiality (consent to share not otherwise "
        "asked); nothing indicates risk.",
        {
            "young_person_confidentiality": True,
            "child_age": 14,
            "child_competent": "yes",
        },
        R.DO_NOT_SHARE,
        "GR 4; seed 003 §3.3 (respect the wishes of children)",
    ),
    Row(
        "aged-16-presumed-competent",
        "A 16-year-old asks for confidentiality; competence not assessed; no risk indicators.",
        {**YP, "child_age": 16, "child_competent": "not_sure"},
        R.DO_NOT_SHARE,
        "GR 4; Mental Capacity Act 2005 (presumption from 16)",
    ),
    Row(
        "aged-17-presumed-competent",
        "A 17-year-old asks for confidentiality; competence not assessed; no risk indicators.",
        {**YP, "child_age": 17, "child_competent": "not_sure", "harm": "welfare_concern"},
        R.DO_NOT_SHARE,
        "GR 4; Mental Capacity Act 2005 (presumption from 16)",
    ),
    Row(
        "under-16-competence-not-sure",
        "A 14-year-old asks for confidentiality; the practitioner is unsure of their competence.",
        {**YP, "child_age": 14, "child_competent": "not_sure"},
        R.SEEK_ADVICE,
        "GR 3 (in doubt, seek advice); seed 003 §3.3 (clarification: senior colleagues)",
    ),
    Row(
        "competent-15-much-older-partner",
        "A competent 15-year-old asks for confidentiality about a much older partner; the "
        "practitioner raises it with children's social care.",
        {
            **YP,
            "child_age": 15,
            "child_competent": "yes",
            "risk_indicators": True,
            "harm": "welfare_concern",
            **CSC,
        },
        R.REFER_NOW,
        "GR 4 (safety may be at risk); seed 003 §3.3; WT 2018 ch1 (seed 001)",
        never=frozenset({R.DO_NOT_SHARE}),
        no_consent_basis=True,
    ),
    Row(
        "aged-17-exploitation-indicators",
        "A 17-year-old asks for confidentiality; indicators of exploitation; sharing with a "
        "partner under agreement; harm not graded.",
        {
            **YP,
            "child_age": 17,
            "risk_indicators": True,
            "harm": "not_sure",
        },
        SHARING,
        "GR 4; seed 003 §3.3 (a lack of consent should never compromise safety)",
        never=frozenset({R.DO_NOT_SHARE}),
        no_consent_basis=True,
    ),
    Row(
        "under-16-competence-unsure-abuse-indicators",
        "A 13-year-old asks for confidentiality, competence unclear, with indicators of abuse.",
        {
            "young_person_confidentiality": True,
            "child_age": 13,
            "child_competent": "not_sure",
            "risk_indicators": True,
            "harm": "welfare_concern",
            **CSC,
        },
        R.REFER_NOW,
        "seed 002 (without delay); seed 003 §3.3; GR 4",
        never=frozenset({R.DO_NOT_SHARE, R.SEEK_ADVICE}),
    ),
    Row(
        "competent-15-significant-harm",
        "A competent 15-year-old asks for confidentiality; no listed indicators, but the "
        "practitioner fears significant harm and raises it with children's social care.",
        {
            **YP,
            "child_age": 15,
            "child_competent": "yes",
            "harm": "significant_harm",
            **CSC,
        },
        R.REFER_NOW,
        "seed 003 §2 (significant harm: safeguarding the child is overriding), §3.3",
        no_consent_basis=True,
    ),
    Row(
        "competent-young-person-court-order",
        "A competent 15-year-old asked for confidentiality, but a court orders the records.",
        {
            **YP,
            "child_age": 15,
            "child_competent": "yes",
            "statutory_duty_or_court_order": True,
            "purpose": "looked_after",
        },
        R.SHARE_WITHOUT_CONSENT,
        "WT 2018 ch1 (seed 001: legal obligation)",
        no_consent_basis=True,
    ),
    # --- Contradictions ------------------------------------------------------------------------
    Row(
        "contradiction-anonymous-special-category",
        "The answers say the information identifies nobody, yet it is special category data.",
        {"identifies_living_person": "no", "special_category": True},
        R.CHECK_ANSWERS,
        "IS 2018 flowchart (special category data is personal data: UK GDPR Art 9)",
        contradictions=True,
    ),
    Row(
        "contradiction-anonymous-criminal-data",
        "The answers say the information identifies nobody, yet it is criminal offence data.",
        {"identifies_living_person": "no", "criminal_offence_data": True},
        R.CHECK_ANSWERS,
        "IS 2018 flowchart (UK GDPR Art 10 data is personal data)",
        contradictions=True,
    ),
    Row(
        "contradiction-significant-harm-to-nobody",
        "Significant harm feared for a child, yet the information identifies nobody.",
        {"identifies_living_person": "no", "harm": "significant_harm"},
        R.CHECK_ANSWERS,
        "IS 2018 flowchart; WT 2018 ch1 (seed 001)",
        contradictions=True,
    ),
    Row(
        "contradiction-child-in-need-to-nobody",
        "A child may be in need, yet the information identifies nobody.",
        {"identifies_living_person": "no", "harm": "child_in_need"},
        R.CHECK_ANSWERS,
        "IS 2018 flowchart; WT 2018 ch1 (seed 001)",
        contradictions=True,
    ),
    Row(
        "contradiction-consent-given-but-asking-risky-to-child",
        "Consent was given, yet seeking consent would put the child at increased risk.",
        {"consent": "given", "consent_would_increase_risk_to_child": True, **SIG},
        R.CHECK_ANSWERS,
        "seed 003 §3.3 (first bullet)",
        contradictions=True,
    ),
    Row(
        "contradiction-consent-given-but-asking-risky-to-adult",
        "Consent was given, yet seeking consent would put an adult at risk of serious harm.",
        {"consent": "given", "consent_would_put_adult_at_serious_risk": True},
        R.CHECK_ANSWERS,
        "seed 003 §3.3 (second bullet)",
        contradictions=True,
    ),
    Row(
        "contradiction-consent-given-but-asking-undermines-crime-inquiry",
        "Consent was given, yet seeking it would undermine a serious crime inquiry.",
        {"consent": "given", "consent_would_undermine_crime_prevention": True},
        R.CHECK_ANSWERS,
        "seed 003 §3.3 (third bullet)",
        contradictions=True,
    ),
)


def _check(row: Row, outcome: Outcome) -> None:
    rec = outcome.recommendation
    if isinstance(row.expected, frozenset):
        assert rec in row.expected, f"{row.id}: got {rec}, expected one of {sorted(row.expected)}"
    else:
        assert rec is row.expected, f"{row.id}: got {rec}, expected {row.expected}"
    assert rec not in row.never, f"{row.id}: got {rec}, never {sorted(row.never)}"
    basis = outcome.lawful_basis
    if rec in SHARING:
        assert basis is not None
        assert basis.article_6
    if row.no_consent_basis and basis is not None:
        assert basis.article_6 != "art6_1_a", f"{row.id}: consent basis suggested"
        assert basis.article_9 != "art9_2_a", f"{row.id}: explicit consent suggested"
    for name, value in row.basis.items():
        assert basis is not None
        assert getattr(basis, name) == value, f"{row.id}: {name} is {getattr(basis, name)}"
    if row.individual_told is True:
        assert Notify.INDIVIDUAL in outcome.must_tell
        assert outcome.individual_not_told_reason is None
    elif row.individual_told is False:
        assert Notify.INDIVIDUAL not in outcome.must_tell
        assert outcome.individual_not_told_reason
    if row.requester_told is not None:
        told = Notify.REQUESTER_OF_REFUSAL in outcome.must_tell
        assert told is row.requester_told, f"{row.id}: requester told is {told}"
    if row.manager_approval is not None:
        assert outcome.manager_approval is row.manager_approval
    if row.contradictions is True:
        assert outcome.contradictions, f"{row.id}: no contradiction named"
    elif row.contradictions is False:
        assert not outcome.contradictions


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in ROWS])
def test_what_the_guidance_says_for_the_situation(row: Row) -> None:
    _check(row, evaluate(row.facts(), version="2024.2"))


BOTH = [row for row in ROWS if row.both_versions]


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in BOTH])
def test_situation_2024_1_already_answered_gets_the_same_answer_under_2024_1(row: Row) -> None:
    """The recommendation only: who is told and what is recorded changed on purpose in 2024.2."""
    assert set(row.changes) <= ORIGINAL_FIELDS, f"{row.id}: 2024.1 cannot express this"
    old = evaluate(row.facts(version="2024.1"), version="2024.1")
    new = evaluate(row.facts(version="2024.2"), version="2024.2")
    if isinstance(row.expected, frozenset):
        assert old.recommendation in row.expected
    else:
        assert old.recommendation is row.expected, f"{row.id}: 2024.1 gives {old.recommendation}"
    assert old.recommendation is new.recommendation


def test_the_table_is_well_formed() -> None:
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))
    assert len(ROWS) >= 60
    for row in ROWS:
        assert row.situation
        assert row.source
        row.facts()  # every row is valid input, read by the one validator


def test_a_request_must_say_whether_whoever_asked_is_verified() -> None:
    """Seed 003 §3.5: answering a request, the recipient's entitlement must be checked."""
    with pytest.raises(InvalidFacts) as error:
        facts_from_mapping(situation(asked_by="other_agency"))
    assert error.value.field == "recipient_verified"
