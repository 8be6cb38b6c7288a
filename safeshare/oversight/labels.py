"""Plain words for what a ledger entry records, who did it (roles) and why (purpose).

``EVENT_LABELS`` names every ``Event`` member; a test fails when a new event has no label here.
"""

from __future__ import annotations

from typing import Final

from safeshare.agencies.models import Role
from safeshare.core.vocabulary import SharingPurpose
from safeshare.ledger.events import Event

EVENT_LABELS: Final[dict[Event, str]] = {
    # Signing in, tokens, keys
    Event.SIGNED_IN: "Signed in",
    Event.SIGN_IN_FAILED: "Failed to sign in",
    Event.SIGNED_OUT: "Signed out",
    Event.TOTP_ENROLLED: "Set up an authenticator app",
    Event.LOCKED_OUT: "Locked out after failed sign-ins",
    Event.SESSION_EXPIRED: "Was signed out when the session expired",
    Event.TOTP_ENROLMENT_STARTED: "Started setting up an authenticator app",
    Event.TOTP_RESET: "Reset someone's authenticator app",
    Event.API_TOKEN_CREATED: "Created an API token",
    Event.API_TOKEN_REVOKED: "Revoked an API token",
    Event.API_TOKEN_USED: "Used an API token",
    Event.KEYS_ROTATED: "Rotated the encryption keys",
    Event.KEYS_RESEALED: "Re-encrypted stored records under a new key",
    Event.DEMO_AREA_GENERATED: "Generated the demonstration area",
    # Agencies, practitioners, agreements
    Event.AGENCY_CREATED: "Added an agency",
    Event.AGENCY_UPDATED: "Changed an agency's details",
    Event.PRACTITIONER_CREATED: "Added a practitioner",
    Event.PRACTITIONER_UPDATED: "Changed a practitioner's details",
    Event.ROLE_GRANTED: "Gave a practitioner a role",
    Event.ROLE_REVOKED: "Took a role away from a practitioner",
    Event.PRACTITIONER_DEACTIVATED: "Deactivated a practitioner",
    Event.PRACTITIONER_LIST_VIEWED: "Looked at a list of practitioners",
    Event.AGREEMENT_CREATED: "Drafted an information sharing agreement",
    Event.AGREEMENT_UPDATED: "Changed an information sharing agreement",
    Event.AGREEMENT_STATUS_CHANGED: "Changed the status of an information sharing agreement",
    Event.AGREEMENT_SIGNED: "Signed an information sharing agreement",
    # People
    Event.PERSON_CREATED: "Recorded the person",
    Event.PERSON_UPDATED: "Changed the person's details",
    Event.PERSON_VIEWED: "Opened the person's record",
    Event.PERSON_NAME_ADDED: "Added another name for the person",
    Event.ADDRESS_ADDED: "Added an address",
    Event.CONTACT_ADDED: "Added contact details",
    Event.PERSON_LISTED: "Saw the person in a search result or list",
    # Cases and information
    Event.CASE_CREATED: "Created the case",
    Event.CASE_UPDATED: "Changed the case",
    Event.CASE_STATUS_CHANGED: "Changed the case status",
    Event.CASE_VIEWED: "Opened the case",
    Event.CASE_LISTED: "Saw the case in a search result or list",
    Event.ALLOCATION_ADDED: "Allocated a practitioner to the case",
    Event.ALLOCATION_ENDED: "Ended a practitioner's allocation to the case",
    Event.INVOLVEMENT_ADDED: "Added someone involved in the case",
    Event.INVOLVEMENT_ENDED: "Ended someone's involvement in the case",
    Event.ITEM_CREATED: "Recorded information in the case",
    Event.ITEM_UPDATED: "Corrected information in the case",
    Event.ITEM_VIEWED: "Read a piece of information in the case",
    # Consent
    Event.CONSENT_RECORDED: "Recorded consent to share",
    Event.CONSENT_REFUSED: "Recorded that consent was refused",
    Event.CONSENT_WITHDRAWN: "Recorded that consent was withdrawn",
    Event.CONSENT_NOT_SOUGHT: "Recorded that consent was not sought",
    Event.CONSENT_VIEWED: "Read a consent record",
    Event.RECALL_CREATED: "Asked for shared information to be recalled",
    # Sharing decisions
    Event.DECISION_RECORDED: "Recorded a decision whether to share",
    Event.DECISION_APPROVED: "Approved a decision to share without consent",
    Event.DECISION_APPROVAL_DECLINED: "Declined to approve a decision to share without consent",
    Event.DECISION_VIEWED: "Read a sharing decision",
    # Requests and disclosures
    Event.REQUEST_CREATED: "Sent an information request, share or referral",
    Event.REQUEST_ROUTED: "Routed an information request",
    Event.REQUEST_REFUSED: "Refused an information request",
    Event.REQUEST_RECONSIDERED: "Asked again with new information",
    Event.REQUEST_WITHDRAWN: "Withdrew an information request",
    Event.REQUEST_ANSWERED: "Answered an information request with a disclosure",
    Event.REQUEST_VIEWED: "Read an information request",
    Event.DISCLOSURE_ISSUED: "Shared information with a named practitioner",
    Event.DISCLOSURE_ACKNOWLEDGED: "Acknowledged receipt of shared information",
    Event.DISCLOSURE_UNDERTAKING_ACCEPTED: "Accepted the undertaking on shared information",
    Event.DISCLOSURE_READ_BACK: "Said what they understood from shared information",
    Event.DISCLOSURE_READ_BACK_CONFIRMED: "Confirmed the recipient's understanding",
    Event.DISCLOSURE_READ_BACK_CORRECTED: "Corrected the recipient's understanding",
    Event.DISCLOSURE_REVOKED: "Revoked a disclosure",
    Event.DISCLOSURE_VIEWED: "Read the details of a disclosure",
    Event.DISCLOSURE_CONTENT_VIEWED: "Read shared information",
    Event.DISCLOSURE_PREVIEWED: "Previewed information before sharing it",
    Event.DISCLOSURE_LISTED: "Looked at a list of disclosures",
    Event.INFORM_TASK_CREATED: "Was given the task of telling the individual about a share",
    Event.INFORM_TASK_DONE: "Told the individual that their information was shared",
    Event.ITEM_CORRECTION_ISSUED: "Corrected or retracted shared information",
    Event.CORRECTION_ACKNOWLEDGED: "Acknowledged a correction or retraction",
    Event.RECALL_REQUESTED: "Asked a recipient to delete information shared on withdrawn consent",
    Event.RECALL_DELETION_CONFIRMED: "Confirmed deleting recalled information",
    Event.RECALL_COMPLETED: "Completed a recall of information shared on withdrawn consent",
    Event.DISCLOSURE_PDF_EXPORTED: "Downloaded shared information as a PDF",
    Event.RECEIVED_ITEMS_ADDED_TO_CASE: "Added shared information to a case chronology",
    Event.CHRONOLOGY_RECEIVED_VIEWED: "Read shared information in a case chronology",
    # Identity linkage, identity search, the pointer index
    Event.LINKAGE_MODEL_TRAINED: "Trained a new version of the identity linkage model",
    Event.LINKAGE_MODEL_ACTIVATED: "Made a linkage model version the one in use",
    Event.LINKAGE_RUN_COMPLETED: "Linked people's records across agencies",
    Event.IDENTITY_LINKED: "Linked the person's record to an identity",
    Event.LINK_CANDIDATE_QUEUED: "Sent a possible match to clerical review",
    Event.LINK_CANDIDATE_VIEWED: "Looked at a possible match in clerical review",
    Event.LINK_CONFIRMED: "Confirmed that two records are the same person",
    Event.LINK_REJECTED: "Decided that two records are not the same person",
    Event.LINK_REVIEW_QUEUE_VIEWED: "Looked at the clerical review queue",
    Event.LINK_DECISION_REOPENED: "Reopened a decision on whether two records are the same person",
    Event.IDENTITY_SEARCHED: "Searched for a person across agencies",
    Event.SEARCH_INDEX_REBUILT: "Rebuilt the identity search index",
    Event.POINTER_INDEX_VIEWED: "Looked at which agencies hold a record of the child",
    Event.POINTER_REQUEST_STARTED: "Started a request from the pointer index",
    Event.POINTER_MATCH_DISPUTED: "Reported that another agency's record may not be this child",
    # MASH triage
    Event.MASH_CONTACT_RECORDED: "Recorded a contact or referral to the MASH",
    Event.MASH_CONTACT_VIEWED: "Opened a MASH contact",
    Event.MASH_CONTACT_LISTED: "Saw a MASH contact in a list",
    Event.MASH_ENQUIRY_SENT: "Sent a MASH enquiry to a partner agency",
    Event.MASH_RAG_RATED: "Gave a MASH contact a RAG rating",
    Event.MASH_OUTCOME_RECORDED: "Recorded the outcome of a MASH contact",
    Event.MASH_DASHBOARD_VIEWED: "Looked at the MASH timescales dashboard",
    Event.MASH_CONTACT_CLOSED: "Closed a MASH contact",
    Event.MASH_ENQUIRY_WITHDRAWN: "Withdrew a MASH enquiry to a partner agency",
    # The ledger itself
    Event.LEDGER_SIGNING_KEY_PUBLISHED: "Published a key that signs the ledger",
    Event.LEDGER_SIGNING_KEY_ROTATED: "Changed the key that signs the ledger",
    Event.LEDGER_ENTRY_PROVED: "Asked for proof that a ledger entry is recorded",
    # Oversight of the ledger
    Event.RECORD_ACCESS_VIEWED: "Looked at who has seen this record",
    Event.NOTIFICATIONS_VIEWED: "Saw a notification of access from outside the agency",
    Event.NOTIFICATIONS_SEEN: "Marked notifications as seen",
    Event.ACCESS_REVIEW_VIEWED: "Looked at access flagged for review",
    Event.ACCESS_REVIEW_RECORDED: "Recorded a review of flagged access",
    Event.SUBJECT_ACCESS_EXPORTED: "Produced a subject access request export",
    # A practitioner's working day
    Event.WORK_NOTICE_RAISED: "Told someone that work is waiting for them",
    Event.WORK_NOTICE_EMAILED: "E-mailed someone that work is waiting for them",
    Event.WORK_NOTICE_EMAIL_FAILED: "Could not e-mail someone that work is waiting",
    Event.WORK_NOTICES_SEEN: "Saw the work waiting for them",
    Event.EMAIL_PREFERENCES_SET: "Chose which work-arrived e-mails to receive",
    # Casework basics
    Event.CASE_REALLOCATED: "Reallocated the case to another practitioner",
    Event.ADDRESS_ENDED: "Recorded that someone no longer lives at an address",
    Event.CONTACT_ENDED: "Recorded that contact details are no longer used",
    # Agency administration
    Event.PRACTITIONER_REACTIVATED: "Reactivated a practitioner",
}

SYSTEM_ROLE = "system"


def event_label(code: int) -> str:
    """What an entry records, in plain words (the code itself for an unknown one)."""
    try:
        return EVENT_LABELS[Event(code)]
    except (ValueError, KeyError):
        return f"Event {code}"


def role_labels(actor_roles: str) -> tuple[str, ...]:
    """The roles an actor held when the entry was written ("dsl,practitioner" -> labels)."""
    labels = []
    for code in filter(None, actor_roles.split(",")):
        if code == SYSTEM_ROLE:
            labels.append("SafeShare itself")
        elif code in Role.values:
            labels.append(str(Role(code).label))
        else:
            labels.append(code)
    return tuple(labels)


def purpose_label(purpose: str) -> str:
    """Why it was done: a sharing purpose's label, or "Not recorded"."""
    if not purpose:
        return "Not recorded"
    if purpose in SharingPurpose.values:
        return str(SharingPurpose(purpose).label)
    return purpose
