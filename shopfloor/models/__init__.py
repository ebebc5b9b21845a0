"""The evidence model. Every fact points to the :class:`Source` it came from."""

from shopfloor.models.accounts import ApiToken, AuditEvent, UserSession
from shopfloor.models.assessments import Assessment, Criterion, Finding
from shopfloor.models.companies import Company, Relationship
from shopfloor.models.facilities import Facility, FacilityRecord
from shopfloor.models.matching import MatchDecision, Watchlist
from shopfloor.models.metrics import Datapoint, Metric
from shopfloor.models.organisations import Membership, Organisation
from shopfloor.models.sources import Source

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Assessment",
    "Company",
    "Criterion",
    "Datapoint",
    "Facility",
    "FacilityRecord",
    "Finding",
    "MatchDecision",
    "Membership",
    "Metric",
    "Organisation",
    "Relationship",
    "Source",
    "UserSession",
    "Watchlist",
]
