"""Response models: the API's contract (DESIGN.md "The headline query and API contract"), one module per
route module in ``api/routes/`` (``common`` holds what several share). Import from the package or the module."""

from api.models.catalogue import Catalogue, ParamInfo, QueryInfo, QueryResult
from api.models.common import (
    Claim,
    Confidence,
    ErrorBody,
    NodeRef,
    Page,
    Period,
    Precision,
    Quantity,
    Ref,
    Row,
    SourceRef,
    Stance,
    error_responses,
    iso_prefix,
    text,
)
from api.models.disputes import DisputeClaim, DisputedFact, DisputePage
from api.models.entities import (
    Body,
    EntityHit,
    EntityPage,
    EntityProfile,
    EventRef,
    Neighbour,
    NeighbourPage,
    PostHeld,
    PostHolder,
    TransferRef,
)
from api.models.events import (
    Article,
    Meeting,
    MeetingPage,
    Participant,
    ResolutionVotes,
    TimelineEvent,
    TimelinePage,
    Treaty,
    TreatyList,
    TreatyStep,
    VoteCast,
    VoteList,
)
from api.models.flows import (
    FLOW_EXAMPLE,
    Estimate,
    EstimatePoint,
    EstimateSeries,
    Flow,
    FlowDetail,
    FlowPage,
    FlowQuantity,
    FlowSummary,
    FlowTotal,
)
from api.models.graph import Edge, GraphOut, Path, PathsOut
from api.models.sources import (
    ChainLink,
    ClaimDetail,
    ClaimFull,
    ClaimGroup,
    ClaimsAbout,
    ClaimSource,
    SourceClaim,
    SourceDetail,
    SourcePage,
    SourceSummary,
    SupportedNode,
)
from api.models.system import Health, Ready

__all__ = [
    "Article", "Body", "Catalogue", "ChainLink", "Claim", "ClaimDetail", "ClaimFull", "ClaimGroup", "ClaimSource",
    "ClaimsAbout", "Confidence",
    "DisputeClaim", "DisputePage", "DisputedFact", "Edge", "EntityHit", "EntityPage", "EntityProfile",
    "ErrorBody", "Estimate", "EstimatePoint", "EstimateSeries", "EventRef", "FLOW_EXAMPLE", "Flow", "FlowDetail",
    "FlowPage", "FlowQuantity", "FlowSummary", "FlowTotal", "GraphOut", "Health",
    "Meeting", "MeetingPage", "Neighbour", "NeighbourPage", "NodeRef", "Page", "ParamInfo", "Participant", "Path",
    "PathsOut", "Period", "PostHeld", "PostHolder", "Precision", "Quantity", "QueryInfo", "QueryResult",
    "Ready", "Ref", "ResolutionVotes", "Row", "SourceClaim", "SourceDetail", "SourcePage", "SourceRef",
    "SourceSummary", "Stance", "SupportedNode", "TimelineEvent", "TimelinePage", "TransferRef", "Treaty", "TreatyList",
    "TreatyStep", "VoteCast", "VoteList", "error_responses", "iso_prefix", "text",
]
