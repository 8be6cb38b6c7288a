"""Vocabularies shared by several apps (agreements, items, decisions, disclosures)."""

from __future__ import annotations

from django.db import models


class SharingPurpose(models.TextChoices):
    """Why information is shared; agreements list the purposes they cover."""

    CHILD_PROTECTION = "child_protection", "Child protection (section 47 enquiries)"
    CHILD_IN_NEED = "child_in_need", "Child in need assessment (section 17)"
    EARLY_HELP = "early_help", "Early help"
    MASH_TRIAGE = "mash_triage", "Multi-Agency Safeguarding Hub triage"
    LOOKED_AFTER = "looked_after", "Care of a looked-after child"
    CRIME_PREVENTION = "crime_prevention", "Prevention or detection of crime"
    HEALTH_CARE = "health_care", "Direct health care of the child"
    EDUCATION_WELFARE = "education_welfare", "Education welfare and attendance"
    DISCLOSURE_SCHEME = "disclosure_scheme", "Child sex offender or domestic abuse disclosure"


class InformationCategory(models.TextChoices):
    """The assessment framework's domains, used to tag every information item."""

    CHILD = "child", "Child's health, development and exposure to harm"
    PARENTING = "parenting", "Parents' or carers' capacity"
    RISK_FROM_OTHERS = "risk_from_others", "Adults or children who may pose a risk"
    OTHER = "other", "Other"


class SpecialCategory(models.TextChoices):
    """UK GDPR Article 9 special categories of personal data."""

    NONE = "", "Not special category"
    HEALTH = "health", "Health"
    RACIAL_ETHNIC = "racial_ethnic", "Racial or ethnic origin"
    RELIGIOUS = "religious", "Religious or philosophical beliefs"
    SEX_LIFE = "sex_life", "Sex life or sexual orientation"
    GENETIC = "genetic", "Genetic data"
    BIOMETRIC = "biometric", "Biometric data (for identification)"
    POLITICAL = "political", "Political opinions"
    TRADE_UNION = "trade_union", "Trade union membership"
