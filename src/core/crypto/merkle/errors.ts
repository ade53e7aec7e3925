import { ClearingError } from '../../errors/index.js';

/** Stable codes of the Merkle log; the words for them live in messages.ts. */
export const merkleErrorCodes = ['MERKLE_BAD_INPUT', 'MERKLE_PROOF_INVALID'] as const;
export type MerkleErrorCode = (typeof merkleErrorCodes)[number];

/** A size, index, hash or tree head that cannot be what the caller meant: a programming or transport error. */
export function merkleBadInput(detail: string): ClearingError<'MERKLE_BAD_INPUT'> {
  return new ClearingError('MERKLE_BAD_INPUT', { status: 400, params: { detail } });
}

/**
 * A well-formed proof or signed head that does not check out. For a client this
 * means the server showed it a history other than the one it committed to.
 */
export function merkleProofInvalid(detail: string): ClearingError<'MERKLE_PROOF_INVALID'> {
  return new ClearingError('MERKLE_PROOF_INVALID', { status: 409, params: { detail } });
}
