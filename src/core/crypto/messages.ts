/**
 * What each error code of the cryptographic core means, in the words a
 * volunteer understands. The edge (UI, CLI, HTTP) picks the language; the core
 * only throws codes. Every language carries every key of English.
 */
const en = {
  ENCODING_INVALID: 'Some data is damaged and could not be read.',
  KEY_INVALID: 'A key has the wrong form. It may have been damaged or mixed up with another kind of key.',
  PASSPHRASE_INVALID: 'The passphrase is empty or too long.',
  KDF_PARAMS_REJECTED:
    'The server asked for key settings this app does not accept (too weak or too heavy). Do not try your passphrase again; tell an administrator.',
  KEY_BUNDLE_WRONG_PASSPHRASE: 'The passphrase is wrong. Check it (and the keyboard layout) and try again.',
  KEY_BUNDLE_MALFORMED: 'Your stored keys are damaged and cannot be read.',
  CERTIFICATE_INVALID: "This member's keys are not properly certified. Do not share anything with them until an administrator certifies them again.",
  CERTIFICATE_WRONG_ORGANIZATION:
    "This member's keys were certified by a different organization key than the one you trust. Do not share anything with them; tell an administrator.",
  CERTIFICATE_MISMATCH: "This member's certificate does not match the keys the server sent. Do not share anything with them; tell an administrator.",
  ORGANIZATION_KEY_MISMATCH:
    'The organization key stored on the server is not the one you trust. Do not certify anyone with it; tell the other administrators.',
  SIGNATURE_INVALID: 'A signature does not match what was signed, or who is said to have signed it.',
  SEALED_KEY_MALFORMED: 'A shared key is damaged and cannot be read.',
  SEALED_KEY_WRONG_RECIPIENT: 'This shared key was made for someone else.',
  SEALED_KEY_WRONG_CONTEXT: 'This shared key belongs to another case, compartment or period.',
  SEALED_KEY_TAMPERED: 'A shared key could not be opened: it was changed, or it was made for other keys.',
  SEALED_KEY_BAD_SIGNATURE: 'A shared key is not signed by the member who is said to have granted it.',
  COMPARTMENT_REFERENCE_INVALID: 'The case or compartment given for a key is not valid.',
  COMPARTMENT_EPOCH_UNKNOWN: 'You do not hold the key for this period of the compartment.',
  RECORD_MALFORMED: 'A record is damaged and cannot be read.',
  RECORD_WRONG_CONTEXT: 'A record turned up in the wrong place: another case, compartment, record or version.',
  RECORD_TAMPERED: 'A record was changed after it was written, or the key used to open it is wrong.',
  RECORD_BAD_SIGNATURE: "A record's signature does not match its author.",
  // Trust: membership list, key rotation, invitations, bundles bound to the organization key.
  MEMBERSHIP_LIST_INVALID:
    'The list of members the server sent is not signed by the organization, or is damaged. Nobody on it is trusted; tell an administrator.',
  MEMBERSHIP_LIST_WRONG_ORGANIZATION:
    'The list of members the server sent was signed by another organization key than the one you trust. Tell an administrator through another channel.',
  MEMBERSHIP_LIST_ROLLBACK:
    'The server sent an older list of members than one this browser has already seen. Someone may be trying to bring back a removed member. Tell an administrator through another channel.',
  KEY_ROTATION_INVALID: 'A change of the organization key is not signed by the key it replaces.',
  KEY_ROTATION_BROKEN: 'The server presents a new organization key that no signed change leads to from the key you trust.',
  INVITATION_STATEMENT_INVALID: 'The invitation is not signed with the organization key.',
  KEY_BUNDLE_WRONG_ORGANIZATION: 'Your keys were made for another organization key than the one the server presents.',
  // Cases: the signed chain of who holds each compartment, audited in the browser.
  CASE_CHAIN_MALFORMED: 'The history of who holds this case is damaged and cannot be read. Treat the case as tampered with; tell an administrator.',
  CASE_CHAIN_BROKEN:
    'The history of who holds this case does not hold together: an entry is missing, out of order or not signed by its author. Treat the case as tampered with; nothing new will be shared.',
  CASE_CHAIN_UNENTITLED:
    'The history of this case has a grant or change made by someone who did not hold the compartment. Treat the case as tampered with; nothing new will be shared.',
  CASE_CHAIN_ROLLBACK:
    'The server shows an older history of this case than this browser has already seen. A revocation may be hidden. Nothing new will be shared; tell an administrator.',
  CASE_HOLDERS_MISMATCH:
    'The server says different members hold a compartment of this case than its signed grants say. Treat the case as tampered with; nothing new will be shared.',
  EPOCH_LINK_TAMPERED: 'An older key of this compartment could not be opened with the newer one: it was changed, or it belongs elsewhere.',
  // Versioned formats: a newer version than this code knows is not damage.
  FORMAT_VERSION_UNSUPPORTED:
    'This was made by a newer version of Clearing (format version {{version}}) that this copy cannot read yet. Reload the page; if that does not help, ask an administrator to update the server.',
} as const;

export type CryptoErrorCode = keyof typeof en;

const ru: Record<CryptoErrorCode, string> = {
  ENCODING_INVALID: 'Часть данных повреждена, их не удалось прочитать.',
  KEY_INVALID: 'Ключ имеет неверный вид. Возможно, он повреждён или перепутан с ключом другого рода.',
  PASSPHRASE_INVALID: 'Парольная фраза пустая или слишком длинная.',
  KDF_PARAMS_REJECTED:
    'Сервер запросил настройки ключа, которые это приложение не принимает (слишком слабые или слишком тяжёлые). Не вводите парольную фразу снова и сообщите администратору.',
  KEY_BUNDLE_WRONG_PASSPHRASE: 'Неверная парольная фраза. Проверьте её (и раскладку клавиатуры) и попробуйте снова.',
  KEY_BUNDLE_MALFORMED: 'Ваши сохранённые ключи повреждены и не читаются.',
  CERTIFICATE_INVALID: 'Ключи этого участника не заверены как следует. Ничего ему не открывайте, пока администратор не заверит их заново.',
  CERTIFICATE_WRONG_ORGANIZATION:
    'Ключи этого участника заверены другим ключом организации, не тем, которому вы доверяете. Ничего ему не открывайте и сообщите администратору.',
  CERTIFICATE_MISMATCH: 'Сертификат участника не совпадает с ключами, которые прислал сервер. Ничего ему не открывайте и сообщите администратору.',
  ORGANIZATION_KEY_MISMATCH: 'Ключ организации на сервере — не тот, которому вы доверяете. Никого им не заверяйте и сообщите другим администраторам.',
  SIGNATURE_INVALID: 'Подпись не сходится с подписанным или с тем, кто якобы подписал.',
  SEALED_KEY_MALFORMED: 'Переданный вам ключ повреждён и не читается.',
  SEALED_KEY_WRONG_RECIPIENT: 'Этот ключ предназначен другому человеку.',
  SEALED_KEY_WRONG_CONTEXT: 'Этот ключ относится к другому делу, разделу или периоду.',
  SEALED_KEY_TAMPERED: 'Переданный ключ не открывается: он изменён или сделан для других ключей.',
  SEALED_KEY_BAD_SIGNATURE: 'Переданный ключ не подписан тем участником, который якобы его выдал.',
  COMPARTMENT_REFERENCE_INVALID: 'Дело или раздел, указанные для ключа, недействительны.',
  COMPARTMENT_EPOCH_UNKNOWN: 'У вас нет ключа этого раздела за этот период.',
  RECORD_MALFORMED: 'Запись повреждена и не читается.',
  RECORD_WRONG_CONTEXT: 'Запись оказалась не на своём месте: в другом деле, разделе, записи или версии.',
  RECORD_TAMPERED: 'Запись изменена после того, как её сделали, или ключ для неё не тот.',
  RECORD_BAD_SIGNATURE: 'Подпись записи не принадлежит её автору.',
  // Доверие: список участников, смена ключа организации, приглашения, ключи, привязанные к ключу организации.
  MEMBERSHIP_LIST_INVALID: 'Список участников от сервера не подписан организацией или повреждён. Никому из него нельзя доверять; сообщите администратору.',
  MEMBERSHIP_LIST_WRONG_ORGANIZATION:
    'Список участников от сервера подписан другим ключом организации, не тем, которому вы доверяете. Сообщите администратору по другому каналу.',
  MEMBERSHIP_LIST_ROLLBACK:
    'Сервер прислал более старый список участников, чем этот браузер уже видел. Возможно, кто-то пытается вернуть удалённого участника. Сообщите администратору по другому каналу.',
  KEY_ROTATION_INVALID: 'Смена ключа организации не подписана ключом, который она заменяет.',
  KEY_ROTATION_BROKEN: 'Сервер предъявляет новый ключ организации, к которому не ведёт ни одна подписанная смена от ключа, которому вы доверяете.',
  INVITATION_STATEMENT_INVALID: 'Приглашение не подписано ключом организации.',
  KEY_BUNDLE_WRONG_ORGANIZATION: 'Ваши ключи сделаны для другого ключа организации, не того, что предъявляет сервер.',
  // Дела: подписанная история того, кто держит каждый раздел; проверяется в браузере.
  CASE_CHAIN_MALFORMED: 'История допусков к этому делу повреждена и не читается. Считайте, что дело подделано; сообщите администратору.',
  CASE_CHAIN_BROKEN:
    'История допусков к этому делу не сходится: запись пропущена, стоит не по порядку или не подписана своим автором. Считайте, что дело подделано; ничего нового открыто не будет.',
  CASE_CHAIN_UNENTITLED:
    'В истории этого дела есть допуск или изменение от того, у кого не было ключа раздела. Считайте, что дело подделано; ничего нового открыто не будет.',
  CASE_CHAIN_ROLLBACK:
    'Сервер показывает более старую историю этого дела, чем этот браузер уже видел. Возможно, скрыт отзыв допуска. Ничего нового открыто не будет; сообщите администратору.',
  CASE_HOLDERS_MISMATCH:
    'Сервер называет других держателей раздела, чем записано в подписанных допусках. Считайте, что дело подделано; ничего нового открыто не будет.',
  EPOCH_LINK_TAMPERED: 'Более старый ключ раздела не открылся новым: он изменён или относится к другому разделу.',
  FORMAT_VERSION_UNSUPPORTED:
    'Это сделано более новой версией Clearing (версия формата {{version}}), которую эта копия ещё не умеет читать. Перезагрузите страницу; если не поможет, попросите администратора обновить сервер.',
};

export const cryptoMessages: { readonly en: Record<CryptoErrorCode, string>; readonly ru: Record<CryptoErrorCode, string> } = { en, ru };
