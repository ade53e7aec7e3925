/**
 * What a volunteer reads when an age file cannot be opened, in plain words.
 * The lead merges these into src/core/i18n; until then the CLI reads them here.
 */
import type { AgeErrorCode } from './errors.js';

export const ageMessages: { en: Record<AgeErrorCode, string>; ru: Record<AgeErrorCode, string> } = {
  en: {
    AGE_HEADER: 'This is not a readable age file: its beginning (the header) is damaged, cut short, or in a form this program does not support.',
    AGE_NO_MATCH: 'None of the keys you gave can open this file. It was encrypted for someone else, or for a key you do not have here.',
    AGE_HMAC: 'The beginning of this file (the header) was changed after it was encrypted, so the file cannot be trusted.',
    AGE_PAYLOAD:
      'The file is damaged or cut short: part of its contents failed the integrity check. Anything already written out before this point is genuine, but the file is incomplete.',
    AGE_ARMOR: 'The text form of this file (the block between BEGIN AGE ENCRYPTED FILE and END AGE ENCRYPTED FILE) is damaged or was altered.',
    AGE_IDENTITY: 'The key file could not be read: it must contain a secret key that starts with AGE-SECRET-KEY-1 or AGE-SECRET-KEY-PQ-1.',
    AGE_RECIPIENT: 'The recipient is not a valid age public key: it must start with age1.',
    AGE_IO: 'A file could not be read or written. Check the path and the permissions.',
  },
  ru: {
    AGE_HEADER: 'Это не читаемый файл age: его начало (заголовок) повреждено, обрезано или записано в форме, которую эта программа не поддерживает.',
    AGE_NO_MATCH: 'Ни один из указанных ключей не открывает этот файл. Он зашифрован для кого-то другого или для ключа, которого здесь нет.',
    AGE_HMAC: 'Начало этого файла (заголовок) изменили уже после шифрования, поэтому файлу нельзя доверять.',
    AGE_PAYLOAD:
      'Файл повреждён или обрезан: часть содержимого не прошла проверку целостности. Всё, что уже было выведено до этого места, подлинное, но файл неполный.',
    AGE_ARMOR: 'Текстовая форма файла (блок между BEGIN AGE ENCRYPTED FILE и END AGE ENCRYPTED FILE) повреждена или изменена.',
    AGE_IDENTITY: 'Не удалось прочитать файл ключа: в нём должен быть секретный ключ, начинающийся с AGE-SECRET-KEY-1 или AGE-SECRET-KEY-PQ-1.',
    AGE_RECIPIENT: 'Получатель указан неверно: открытый ключ age должен начинаться с age1.',
    AGE_IO: 'Не удалось прочитать или записать файл. Проверьте путь и права доступа.',
  },
};
