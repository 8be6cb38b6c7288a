"""Templates for the demo area's information items: plausible, and every one of them fictional.

Placeholders: ``{child}`` (the subject child's given name), ``{parent}`` (a parent's full name),
``{adult}`` (the alleged perpetrator's full name). A template that names a parent or the alleged
perpetrator is only used on a case where that person is involved.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeshare.agencies.models import AgencyType
from safeshare.cases.models import FactOrOpinion, HowKnown
from safeshare.core.vocabulary import InformationCategory, SpecialCategory

FICTION_NOTE = " (Fictional demo record: no real person.)"

ABOUT_CHILD = "child"
ABOUT_PARENT = "parent"
ABOUT_ADULT = "adult"  # the alleged perpetrator

_C = InformationCategory
_F = FactOrOpinion
_H = HowKnown
_HEALTH = SpecialCategory.HEALTH
_CSC = AgencyType.CHILDRENS_SOCIAL_CARE
_POLICE = AgencyType.POLICE
_GP = AgencyType.GP_PRACTICE
_HOSPITAL = AgencyType.HOSPITAL
_SCHOOL = AgencyType.SCHOOL
_HOUSING = AgencyType.HOUSING
_VOLUNTARY = AgencyType.VOLUNTARY


@dataclass(frozen=True)
class ItemTemplate:
    agency_type: str
    category: str
    summary: str
    content: str
    fact_or_opinion: str
    how_known: str
    source: str
    about: str = ABOUT_CHILD
    names_parent: bool = False
    names_adult: bool = False
    special_category: str = SpecialCategory.NONE
    criminal_offence_data: bool = False
    is_confidential: bool = False
    third_party_protected: bool = False


TEMPLATES: tuple[ItemTemplate, ...] = (
    # Local authority children's social care
    ItemTemplate(
        _CSC,
        _C.CHILD,
        "Home visit: {child} seen and spoken to alone",
        "Announced home visit. {child} was seen alone in their bedroom and talked about a new "
        "bunk bed and a friend at school. The home was warm and there was food in the fridge.",
        _F.FACT,
        _H.OBSERVED,
        "Allocated social worker",
    ),
    ItemTemplate(
        _CSC,
        _C.PARENTING,
        "Worker's view: {parent} engaging but progress is slow",
        "{parent} attended two of the three planned sessions. In my view {parent} understands "
        "the concerns about routines but has not yet put the agreed bedtime plan in place.",
        _F.OPINION,
        _H.PROFESSIONAL_ASSESSMENT,
        "Allocated social worker",
        about=ABOUT_PARENT,
        names_parent=True,
    ),
    ItemTemplate(
        _CSC,
        _C.PARENTING,
        "{parent} reports struggling with rent arrears",
        "{parent} said the family is eight weeks behind with the rent and has been skipping "
        "meals so that the children can eat. Referred to the council's hardship fund.",
        _F.FACT,
        _H.TOLD_BY_FAMILY,
        "Parent, at home visit",
        about=ABOUT_PARENT,
        names_parent=True,
    ),
    ItemTemplate(
        _CSC,
        _C.RISK_FROM_OTHERS,
        "Strategy discussion: {adult} identified as a risk to {child}",
        "Strategy discussion with police and health. {adult} is known to police for domestic "
        "abuse against a previous partner. Agreed a section 47 enquiry.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Strategy discussion minutes",
        about=ABOUT_ADULT,
        names_adult=True,
        criminal_offence_data=True,
        is_confidential=True,
    ),
    ItemTemplate(
        _CSC,
        _C.CHILD,
        "{child} said they are frightened when {adult} shouts",
        "During a direct work session {child} drew their family and said they hide under the "
        "duvet when {adult} shouts at night.",
        _F.FACT,
        _H.TOLD_BY_CHILD,
        "Direct work session with the child",
        names_adult=True,
    ),
    ItemTemplate(
        _CSC,
        _C.CHILD,
        "Worker's view: {child}'s speech is behind for their age",
        "{child} uses two- and three-word phrases. In my view a speech and language referral "
        "is needed; the health visitor agrees.",
        _F.OPINION,
        _H.PROFESSIONAL_ASSESSMENT,
        "Allocated social worker",
        special_category=_HEALTH,
    ),
    ItemTemplate(
        _CSC,
        _C.RISK_FROM_OTHERS,
        "Neighbour reports shouting late at night",
        "A neighbour, who asked not to be named, telephoned to report shouting and a door "
        "slamming at about 11pm on three nights this week.",
        _F.FACT,
        _H.TOLD_BY_THIRD_PARTY,
        "Neighbour (identity protected)",
        third_party_protected=True,
    ),
    ItemTemplate(
        _CSC,
        _C.OTHER,
        "Review child protection conference held",
        "Review conference attended by school, health and police. Plan continues; next review "
        "in six months.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Conference minutes",
    ),
    # Police
    ItemTemplate(
        _POLICE,
        _C.RISK_FROM_OTHERS,
        "Domestic incident at the home; {child} present",
        "Officers attended a report of an argument between {parent} and {adult}. {child} was "
        "upstairs. No injuries seen. DASH risk assessment: medium.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Police incident log",
        names_parent=True,
        names_adult=True,
        criminal_offence_data=True,
    ),
    ItemTemplate(
        _POLICE,
        _C.RISK_FROM_OTHERS,
        "{adult} has a previous caution for assault",
        "Police records show a caution for common assault against a former partner three years "
        "ago and a bail condition not to contact that partner.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Police records",
        about=ABOUT_ADULT,
        names_adult=True,
        criminal_offence_data=True,
        is_confidential=True,
    ),
    ItemTemplate(
        _POLICE,
        _C.CHILD,
        "{child} reported missing for six hours; found safe",
        "{child} was reported missing at 7pm and found safe at a friend's house at 1am. A "
        "return home interview has been requested.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Police incident log",
    ),
    ItemTemplate(
        _POLICE,
        _C.OTHER,
        "Anonymous report of drug dealing from the address",
        "An anonymous caller reported visitors arriving at all hours and what they believed to "
        "be drug dealing. Intelligence only; not verified.",
        _F.OPINION,
        _H.TOLD_BY_THIRD_PARTY,
        "Anonymous caller (identity protected)",
        criminal_offence_data=True,
        is_confidential=True,
        third_party_protected=True,
    ),
    # GP practices
    ItemTemplate(
        _GP,
        _C.CHILD,
        "{child} missed two immunisation appointments",
        "{child} was not brought to the pre-school booster appointments in March or April. "
        "Letters sent; no reply.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Practice nurse",
        special_category=_HEALTH,
    ),
    ItemTemplate(
        _GP,
        _C.PARENTING,
        "{parent} reports low mood; referred to talking therapies",
        "{parent} described low mood for two months and difficulty getting up in the morning. "
        "No thoughts of self-harm. Referred to talking therapies.",
        _F.FACT,
        _H.TOLD_BY_FAMILY,
        "GP consultation",
        about=ABOUT_PARENT,
        names_parent=True,
        special_category=_HEALTH,
        is_confidential=True,
    ),
    ItemTemplate(
        _GP,
        _C.CHILD,
        "GP's view: {child}'s weight is below what is expected",
        "{child}'s weight has dropped from the 25th to below the 9th centile over a year. In my "
        "view this needs a paediatric review.",
        _F.OPINION,
        _H.PROFESSIONAL_ASSESSMENT,
        "GP",
        special_category=_HEALTH,
    ),
    # Hospital
    ItemTemplate(
        _HOSPITAL,
        _C.CHILD,
        "{child} attended the emergency department with a minor burn",
        "Small burn to the back of the left hand, said to be from a hot pan. Explanation "
        "consistent with the injury. Treated and discharged.",
        _F.FACT,
        _H.OBSERVED,
        "Emergency department nurse",
        special_category=_HEALTH,
    ),
    ItemTemplate(
        _HOSPITAL,
        _C.CHILD,
        "Paediatrician's view: bruising needs a child protection medical",
        "Two bruises on the upper arm, roughly finger-shaped. In my view the explanation given "
        "does not account for them; a child protection medical is advised.",
        _F.OPINION,
        _H.PROFESSIONAL_ASSESSMENT,
        "Consultant paediatrician",
        special_category=_HEALTH,
        is_confidential=True,
    ),
    ItemTemplate(
        _HOSPITAL,
        _C.PARENTING,
        "{parent} disclosed heavy drinking at a clinic appointment",
        "{parent} said they drink most evenings to cope with stress. Offered referral to the "
        "alcohol service; accepted.",
        _F.FACT,
        _H.TOLD_BY_FAMILY,
        "Clinic nurse",
        about=ABOUT_PARENT,
        names_parent=True,
        special_category=_HEALTH,
        is_confidential=True,
    ),
    # Schools
    ItemTemplate(
        _SCHOOL,
        _C.CHILD,
        "Attendance has fallen to 82% this half-term",
        "{child}'s attendance is 82% this half-term (96% last year). Most absences are Mondays, "
        "reported as illness.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Attendance officer",
    ),
    ItemTemplate(
        _SCHOOL,
        _C.CHILD,
        "{child} said there was no food at home",
        "At lunch {child} asked for seconds and said there was no food at home at the weekend.",
        _F.FACT,
        _H.TOLD_BY_CHILD,
        "Lunchtime supervisor",
    ),
    ItemTemplate(
        _SCHOOL,
        _C.CHILD,
        "{child} arrived without a coat on three cold mornings",
        "{child} arrived without a coat on three frosty mornings this week and in the same "
        "uniform, which was unwashed.",
        _F.FACT,
        _H.OBSERVED,
        "Class teacher",
    ),
    ItemTemplate(
        _SCHOOL,
        _C.CHILD,
        "Class teacher's view: {child} withdrawn since half-term",
        "{child} has stopped joining in at break and has cried twice in class. In my view "
        "something has changed at home.",
        _F.OPINION,
        _H.PROFESSIONAL_ASSESSMENT,
        "Class teacher",
    ),
    ItemTemplate(
        _SCHOOL,
        _C.PARENTING,
        "{parent} appeared under the influence at collection",
        "{parent} was unsteady and slurring words at the gate at 3.15pm. {child} was handed to "
        "another family member after a discussion with the safeguarding lead.",
        _F.OPINION,
        _H.OBSERVED,
        "Teaching assistant",
        about=ABOUT_PARENT,
        names_parent=True,
        is_confidential=True,
    ),
    ItemTemplate(
        _SCHOOL,
        _C.RISK_FROM_OTHERS,
        "Another parent reports {child} walking home alone after dark",
        "Another parent, who asked not to be named, saw {child} walking alone along the main "
        "road at about 6pm twice this month.",
        _F.FACT,
        _H.TOLD_BY_THIRD_PARTY,
        "Another parent (identity protected)",
        third_party_protected=True,
    ),
    # Housing
    ItemTemplate(
        _HOUSING,
        _C.PARENTING,
        "Rent arrears of eight weeks; notice served",
        "{parent}'s tenancy is eight weeks in arrears and a notice seeking possession has been "
        "served. Referred to the money advice service.",
        _F.FACT,
        _H.AGENCY_RECORD,
        "Housing officer",
        about=ABOUT_PARENT,
        names_parent=True,
    ),
    ItemTemplate(
        _HOUSING,
        _C.OTHER,
        "Inspection found damp and mould in the children's bedroom",
        "Property inspection: black mould on two walls of the children's bedroom and a broken "
        "window latch. Repairs ordered.",
        _F.FACT,
        _H.OBSERVED,
        "Housing officer",
    ),
    ItemTemplate(
        _HOUSING,
        _C.RISK_FROM_OTHERS,
        "Neighbour reports {adult} staying at the property",
        "A neighbour, who asked not to be named, reports that {adult} has been staying at the "
        "property most nights although not on the tenancy.",
        _F.FACT,
        _H.TOLD_BY_THIRD_PARTY,
        "Neighbour (identity protected)",
        names_adult=True,
        third_party_protected=True,
    ),
    # Voluntary sector
    ItemTemplate(
        _VOLUNTARY,
        _C.PARENTING,
        "{parent} attended the parenting group for the fourth week",
        "{parent} took part well and tried the reward chart at home; says bedtimes are calmer.",
        _F.FACT,
        _H.OBSERVED,
        "Family support worker",
        about=ABOUT_PARENT,
        names_parent=True,
    ),
    ItemTemplate(
        _VOLUNTARY,
        _C.CHILD,
        "Family worker's view: {child} more settled since routines changed",
        "{child} is sleeping better and was chatty at the session. In my view the new routine "
        "is helping.",
        _F.OPINION,
        _H.PROFESSIONAL_ASSESSMENT,
        "Family support worker",
    ),
    ItemTemplate(
        _VOLUNTARY,
        _C.OTHER,
        "Family given food bank vouchers",
        "Three food bank vouchers given after the family said the cupboards were empty.",
        _F.FACT,
        _H.TOLD_BY_FAMILY,
        "Family support worker",
    ),
)


_BY_AGENCY_TYPE: dict[str, tuple[ItemTemplate, ...]] = {
    agency_type: tuple(t for t in TEMPLATES if t.agency_type == agency_type)
    for agency_type in {t.agency_type for t in TEMPLATES}
}


def templates_for(agency_type: str) -> tuple[ItemTemplate, ...]:
    return _BY_AGENCY_TYPE.get(agency_type, ())
