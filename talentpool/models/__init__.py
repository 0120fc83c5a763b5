"""The talent pool's tables (优秀技能人才库, issue 14), one module per subject:

- `pool`: industry chains, the intake policy, talents with their holdings, skill points and the sources that
  brought them in, contact requests (the person's consent), enterprises' saved searches and shortlists, and the
  pool's version number that the matching index is cached on;
- `checklists`: the enterprise demand checklist (企业需求清单, 附件2) and the college supply checklist (院校供给清单,
  附件1), every field of the official forms, with their repeating parts as child tables;
- `matchmaking`: matchmaking events (对接会) with their invitations and outcomes, 揭榜挂帅 challenges with their
  applications, and enterprises' requests to use a college's open equipment.
"""

from talentpool.models.checklists import (
    CaseStudy,
    ChecklistStatus,
    CollaborationForm,
    CollaborationNeed,
    DemandChecklist,
    DemandPost,
    DemandPostSkill,
    EnterpriseNature,
    Equipment,
    GraduateRecord,
    IntellectualProperty,
    IpKind,
    ResearchLevel,
    ResearchProject,
    StudentCount,
    SupplyChecklist,
    SupplyMajor,
    TeacherCount,
    TrainingCourse,
    TrainingMode,
    TrainingNeed,
)
from talentpool.models.matchmaking import (
    ApplicationStatus,
    Challenge,
    ChallengeApplication,
    ChallengeStatus,
    EquipmentRequest,
    EquipmentRequestStatus,
    Invitation,
    InvitationStatus,
    MatchmakingEvent,
    MatchmakingScope,
    Outcome,
    OutcomeKind,
)
from talentpool.models.pool import (
    AwardKind,
    City,
    ContactRequest,
    ContactStatus,
    Education,
    IndustryChain,
    IntakePolicy,
    PoolVersion,
    SavedSearch,
    ShortlistItem,
    SkillPoint,
    SourceKind,
    Talent,
    TalentHolding,
    TalentSkill,
    TalentSource,
    TalentStatus,
)

__all__ = [
    "ApplicationStatus", "AwardKind", "CaseStudy", "Challenge", "ChallengeApplication", "ChallengeStatus",
    "ChecklistStatus", "City", "CollaborationForm", "CollaborationNeed", "ContactRequest", "ContactStatus",
    "DemandChecklist", "DemandPost", "DemandPostSkill", "Education", "EnterpriseNature", "Equipment",
    "EquipmentRequest", "EquipmentRequestStatus", "GraduateRecord", "IndustryChain", "IntakePolicy",
    "IntellectualProperty", "Invitation", "InvitationStatus", "IpKind", "MatchmakingEvent", "MatchmakingScope",
    "Outcome", "OutcomeKind", "PoolVersion", "ResearchLevel", "ResearchProject", "SavedSearch", "ShortlistItem",
    "SkillPoint", "SourceKind", "StudentCount", "SupplyChecklist", "SupplyMajor", "Talent", "TalentHolding",
    "TalentSkill", "TalentSource", "TalentStatus", "TeacherCount", "TrainingCourse", "TrainingMode", "TrainingNeed",
]
