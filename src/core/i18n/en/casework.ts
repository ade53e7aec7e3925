/** The working life of a case: notifications and the reason codes of closing, escalating and removing flags. English. */
export const casework = {
  notifications: {
    assigned: 'Case {{code}} was assigned to you',
    assignedBatch: '{{count}} cases were handed over to you',
    escalated: 'Case {{code}} was escalated to you',
    access_requested: 'Someone asks for access to a compartment of case {{code}}',
    task_assigned: 'A task of case {{code}} was assigned to you',
    task_overdue: 'A task of case {{code}} is overdue',
    flag_set: 'A warning flag was set on case {{code}}',
  },
  closureReasons: {
    goal_reached: 'Goal reached',
    no_longer_needed: 'Help no longer needed',
    unreachable: 'Person cannot be reached',
    duplicate: 'Duplicate of another case',
    other: 'Other (see the case notes)',
  },
  escalationReasons: {
    legal_expertise: 'Needs legal expertise',
    verification: 'Needs verification',
    safety: 'Safety concern',
    logistics: 'Needs help with the route',
    capacity: 'Owner has no capacity',
    language: 'Language',
    other: 'Other (see the case notes)',
  },
  flagRemovalReasons: {
    resolved: 'Resolved',
    set_in_error: 'Set in error',
    no_longer_relevant: 'No longer relevant',
    other: 'Other (see the case notes)',
  },
};
