/** The case page's workflow slots (the case page renders them), and what the task, notification and handover pages share. */
export { CaseWorkflowPanel } from './CaseWorkflowPanel.js';
export { CaseTasksTab } from './CaseTasksTab.js';
export { CaseTimelineTab } from './CaseTimelineTab.js';
export type { CaseSlotProps } from './types.js';
