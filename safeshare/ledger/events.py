"""Ledger event codes: stable integers grouped by area. Never renumber, never reuse a code.

Ranges: 1xx sign-in and keys, 2xx agencies and agreements, 3xx people, 4xx cases and items,
5xx consent, 6xx sharing decisions, 7xx requests and disclosures, 8xx linkage and the
multi-agency picture, 9xx patterns and alerts, 10xx the ledger itself, 11xx disclosure schemes.
"""

from __future__ import annotations

from enum import IntEnum, unique


@unique
class Event(IntEnum):
    # 1xx: authentication, tokens, keys
    SIGNED_IN = 100
    SIGN_IN_FAILED = 101
    SIGNED_OUT = 102
    TOTP_ENROLLED = 103
    LOCKED_OUT = 104
    SESSION_EXPIRED = 105
    TOTP_ENROLMENT_STARTED = 106
    TOTP_RESET = 107
    API_TOKEN_CREATED = 110
    API_TOKEN_REVOKED = 111
    API_TOKEN_USED = 112
    KEYS_ROTATED = 120
    KEYS_RESEALED = 121
    DEMO_AREA_GENERATED = 130

    # 2xx: agencies, practitioners, roles, agreements
    AGENCY_CREATED = 200
    AGENCY_UPDATED = 201
    PRACTITIONER_CREATED = 210
    PRACTITIONER_UPDATED = 211
    ROLE_GRANTED = 212
    ROLE_REVOKED = 213
    PRACTITIONER_DEACTIVATED = 214
    PRACTITIONER_LIST_VIEWED = 215
    AGREEMENT_CREATED = 220
    AGREEMENT_UPDATED = 221
    AGREEMENT_STATUS_CHANGED = 222
    AGREEMENT_SIGNED = 223

    # 3xx: people
    PERSON_CREATED = 300
    PERSON_UPDATED = 301
    PERSON_VIEWED = 302
    PERSON_NAME_ADDED = 303
    ADDRESS_ADDED = 304
    CONTACT_ADDED = 305
    PERSON_LISTED = 306

    # 4xx: cases, involvements, information items
    CASE_CREATED = 400
    CASE_UPDATED = 401
    CASE_STATUS_CHANGED = 402
    CASE_VIEWED = 403
    CASE_LISTED = 404
    ALLOCATION_ADDED = 410
    ALLOCATION_ENDED = 411
    INVOLVEMENT_ADDED = 420
    INVOLVEMENT_ENDED = 421
    ITEM_CREATED = 430
    ITEM_UPDATED = 431
    ITEM_VIEWED = 432

    # 5xx: consent
    CONSENT_RECORDED = 500
    CONSENT_REFUSED = 501
    CONSENT_WITHDRAWN = 502
    CONSENT_NOT_SOUGHT = 503
    CONSENT_VIEWED = 504
    RECALL_CREATED = 505

    # 6xx: sharing decisions
    DECISION_RECORDED = 600
    DECISION_APPROVED = 601
    DECISION_APPROVAL_DECLINED = 602
    DECISION_VIEWED = 603


READ_EVENTS = frozenset(
    {
        Event.PERSON_VIEWED,
        Event.PERSON_LISTED,
        Event.CASE_VIEWED,
        Event.CASE_LISTED,
        Event.ITEM_VIEWED,
        Event.PRACTITIONER_LIST_VIEWED,
        Event.CONSENT_VIEWED,
        Event.DECISION_VIEWED,
    }
)
