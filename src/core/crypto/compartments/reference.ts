import { cryptoError } from '../primitives/errors.js';
import { idPattern, maxIdLength } from '../primitives/strict.js';
import type { CaseId } from '../../domain/ids.js';
import { caseCompartments, isCompartmentName, type CompartmentName } from '../../domain/compartments.js';

/**
 * Which key: a case's compartment (or an organization-wide one, with no case)
 * at one epoch. Epochs start at 0 and go up by one at each rotation.
 */
export interface CompartmentReference {
  caseId: CaseId | null;
  compartment: CompartmentName;
  epoch: number;
}

export const maxEpoch = 0x7fffffff;

export function isCaseCompartment(name: CompartmentName): boolean {
  return (caseCompartments as readonly string[]).includes(name);
}

/** Case compartments need a case id; `intake` and `safety` belong to the organization and take none. */
export function checkCompartmentReference(reference: CompartmentReference): CompartmentReference {
  const { caseId, compartment, epoch } = reference;
  const fail = (field: string): never => {
    throw cryptoError('COMPARTMENT_REFERENCE_INVALID', { field });
  };
  if (!isCompartmentName(compartment)) fail('compartment');
  if (isCaseCompartment(compartment)) {
    if (typeof caseId !== 'string' || caseId.length > maxIdLength || !idPattern.test(caseId)) fail('caseId');
  } else if (caseId !== null) fail('caseId');
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > maxEpoch) fail('epoch');
  return { caseId, compartment, epoch };
}

export function sameCompartmentReference(a: CompartmentReference, b: CompartmentReference): boolean {
  return a.caseId === b.caseId && a.compartment === b.compartment && a.epoch === b.epoch;
}
