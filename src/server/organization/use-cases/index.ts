/** The organization's use cases: first-run setup and the chain of trust. */
export { publishMembershipList, publishMembershipListIn, type PublishMembershipListProps } from './publish-membership-list.js';
export { readKeyRotations, readMembershipList } from './read-trust.js';
export { rotateOrganizationKey, type RotateOrganizationKeyProps } from './rotate-organization-key.js';
export { setUpOrganization } from './set-up-organization.js';
