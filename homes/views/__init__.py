from .activity import AttendanceView, FiguresView, HomeAttendanceMonthView
from .assessments import (
    AssessmentApproveView,
    AssessmentCreateView,
    AssessmentDetailView,
    AssessmentListView,
    AssessmentReturnView,
    AssessmentSubmitView,
    TemplateDetailView,
    TemplateListView,
)
from .centres import (
    CoverageView,
    HomeCreateView,
    HomeDetailView,
    HomeListView,
    HomeUpdateView,
    MembershipJoinView,
    MembershipLeaveView,
    ServiceRecordCreateView,
)

__all__ = [
    "AssessmentApproveView",
    "AssessmentCreateView",
    "AssessmentDetailView",
    "AssessmentListView",
    "AssessmentReturnView",
    "AssessmentSubmitView",
    "AttendanceView",
    "CoverageView",
    "FiguresView",
    "HomeAttendanceMonthView",
    "HomeCreateView",
    "HomeDetailView",
    "HomeListView",
    "HomeUpdateView",
    "MembershipJoinView",
    "MembershipLeaveView",
    "ServiceRecordCreateView",
    "TemplateDetailView",
    "TemplateListView",
]
