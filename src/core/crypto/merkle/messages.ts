import type { MerkleErrorCode } from './errors.js';

/** What a volunteer reads when a Merkle check fails; `{{detail}}` is technical and may stay English. */
export const merkleMessages: { en: Record<MerkleErrorCode, string>; ru: Record<MerkleErrorCode, string> } = {
  en: {
    MERKLE_BAD_INPUT: 'The audit log data is malformed and cannot be checked ({{detail}}).',
    MERKLE_PROOF_INVALID:
      'The audit log failed its integrity check: the server showed a history that does not match what it promised before. Tell an administrator; do not trust the log until this is explained ({{detail}}).',
  },
  ru: {
    MERKLE_BAD_INPUT: 'Данные журнала аудита повреждены, проверить их нельзя ({{detail}}).',
    MERKLE_PROOF_INVALID:
      'Журнал аудита не прошёл проверку целостности: сервер показал историю, которая не совпадает с тем, что он обещал раньше. Сообщите администратору и не доверяйте журналу, пока это не объяснено ({{detail}}).',
  },
};
