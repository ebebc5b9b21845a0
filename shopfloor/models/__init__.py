"""The evidence model. Every fact points to the :class:`Source` it came from."""

from shopfloor.models.accounts import ApiToken, AuditEvent, UserSession
from shopfloor.models.assessments import Assessment, Criterion, Finding
from shopfloor.models.cases import Case, CaseEscalation, CaseOutcome, CaseWorker
from shopfloor.models.companies import Company, Relationship
from shopfloor.models.facilities import Facility, FacilityRecord
from shopfloor.models.heat import HeatReading
from shopfloor.models.issues import IssueEvent, MonitoringIssue
from shopfloor.models.issues import IssueStatus as IssueStatus  # choices, not a model
from shopfloor.models.issues import IssueTopic as IssueTopic  # choices, not a model
from shopfloor.models.matching import MatchDecision, Watchlist
from shopfloor.models.meetings import PiccMeeting, Promise
from shopfloor.models.metrics import Datapoint, Metric
from shopfloor.models.organisations import Membership, Organisation
from shopfloor.models.organising import CollectiveAgreement, MembershipCount, NssfCount
from shopfloor.models.sources import Source
from shopfloor.models.surveys import (
    Submission,
    SubmissionText,
    SurveyForm,
    SurveyFormVersion,
    SurveyQuestion,
)
from shopfloor.models.vault import EvidenceAttachment, EvidenceFile

__all__ = [
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "Case",
    "CaseEscalation",
    "CaseOutcome",
    "CaseWorker",
    "CollectiveAgreement",
    "Company",
    "Criterion",
    "Datapoint",
    "EvidenceAttachment",
    "EvidenceFile",
    "Facility",
    "FacilityRecord",
    "Finding",
    "HeatReading",
    "IssueEvent",
    "MatchDecision",
    "Membership",
    "MembershipCount",
    "Metric",
    "MonitoringIssue",
    "NssfCount",
    "Organisation",
    "PiccMeeting",
    "Promise",
    "Relationship",
    "Source",
    "Submission",
    "SubmissionText",
    "SurveyForm",
    "SurveyFormVersion",
    "SurveyQuestion",
    "UserSession",
    "Watchlist",
]
