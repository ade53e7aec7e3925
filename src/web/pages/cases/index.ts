/** Casework pages: the case list, one case, search; and the rotations panel the members page mounts. */
export { CaseListPage } from './CaseListPage.js';
export { CasePage } from './CasePage.js';
export { CaseRotationsPanel } from './CaseRotationsPanel.js';
export { SearchPage } from './SearchPage.js';
