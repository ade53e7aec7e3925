export { audienceOf, isAction, mayPerform, policy, type Action, type Audience } from './actions.js';
export { decideOnMember, isMemberAction, memberRules, type MemberAccessRecord, type MemberAction, type MemberReach, type MemberRefusal } from './member.js';
export {
  decide,
  decideByRole,
  isResourceDeclaration,
  memberAbilities,
  mayPerformOn,
  needsResource,
  type AccessRecord,
  type Decision,
  type MemberAbilities,
  type PolicyActor,
  type Refusal,
  type ResourceDeclaration,
  type ResourceKind,
} from './resources.js';
export { caseRules, decideOnCase, isCaseAction, type CaseAbilities, type CaseAccessRecord, type CaseAction, type CaseReach, type CaseRefusal } from './case.js';
export {
  compartmentPolicy,
  escalationCompartments,
  grantingRoles,
  mayGrantCompartments,
  mayHoldCompartment,
  openingHolders,
  type CompartmentRoles,
} from './compartments.js';
