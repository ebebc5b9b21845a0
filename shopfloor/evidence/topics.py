"""Issue topics, Better Work's clusters and BFC's critical issues.

Better Work assesses eight clusters; Better Factories Cambodia publishes 21 "critical issues"
(``shared/data/reference/bfc_critical_issues_21.csv``). A union's issue is filed under a topic;
the topic says which cluster it belongs to and which critical issues it can contradict (the
discrepancy finder compares them). Topics with no critical issue are exactly what official
data does not show: heat, ventilation, toilet breaks, verbal abuse, targets.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shopfloor.models import IssueTopic

T = IssueTopic

#: Better Work's eight assessment clusters.
CLUSTERS = {
    "child_labour": _("Child labour"),
    "forced_labour": _("Forced labour"),
    "discrimination": _("Discrimination"),
    "foa": _("Freedom of association and collective bargaining"),
    "compensation": _("Compensation"),
    "contracts": _("Contracts and human resources"),
    "osh": _("Occupational safety and health"),
    "working_time": _("Working time"),
}

#: topic → (cluster, codes of the BFC critical issues it bears on).
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    T.WAGES: ("compensation", ("19", "7")),
    T.OVERTIME: ("working_time", ("20",)),
    T.SOCIAL_SECURITY: ("compensation", ()),
    T.FDC_RENEWALS: ("contracts", ("21", "11")),
    T.DISMISSAL: ("contracts", ("4", "5", "8")),
    T.UNION_INTERFERENCE: ("foa", ("12", "10", "9")),
    T.UNION_DISCRIMINATION: ("foa", ("8", "11")),
    T.DISCRIMINATION: ("discrimination", ("3", "4", "5", "7")),
    T.HARASSMENT: ("discrimination", ("6",)),
    T.VERBAL_ABUSE: ("discrimination", ()),
    T.CHILD_LABOUR: ("child_labour", ("1",)),
    T.FORCED_LABOUR: ("forced_labour", ("2",)),
    T.SAFETY: ("osh", ("14", "15", "16", "17")),
    T.DRINKING_WATER: ("osh", ("18",)),
    T.HEAT_STRESS: ("osh", ()),
    T.VENTILATION: ("osh", ()),
    T.TOILET_BREAKS: ("working_time", ()),
    T.EXCESSIVE_TARGETS: ("working_time", ()),
    T.OTHER: ("", ()),
}

#: Topics where a count of the workers affected is sensitive (threshold 10, not 5).
SENSITIVE_TOPICS = frozenset({T.HARASSMENT, T.UNION_DISCRIMINATION, T.UNION_INTERFERENCE,
                              T.DISMISSAL, T.DISCRIMINATION})


def cluster_of(topic: str) -> str:
    """The Better Work cluster code of ``topic`` ("" for other)."""
    return TOPICS.get(topic, ("", ()))[0]


def cluster_label(cluster: str) -> str:
    return str(CLUSTERS.get(cluster, _("Other")))


def criterion_codes(topic: str) -> tuple[str, ...]:
    """The BFC critical issues (codes) a topic bears on; empty when BFC publishes none."""
    return TOPICS.get(topic, ("", ()))[1]


def bfc_covers(topic: str) -> bool:
    """Whether any of BFC's 21 published critical issues covers the topic."""
    return bool(criterion_codes(topic))


def topic_for_criterion(code: str) -> str | None:
    """The first topic bearing on a critical issue (for suggesting a topic from one)."""
    for topic, (_cluster, codes) in TOPICS.items():
        if code in codes:
            return topic
    return None
