import type { SearchErrorCode } from './errors.js';

/** What a volunteer reads when a search cannot be made. */
export const searchMessages: { en: Record<SearchErrorCode, string>; ru: Record<SearchErrorCode, string> } = {
  en: {
    SEARCH_KEY_INVALID: 'The search key of this compartment is damaged or missing, so search is not possible.',
    SEARCH_BAD_INPUT: 'The text given to search is not text.',
    SEARCH_TEXT_TOO_LONG: 'This text is too long to be made searchable (the limit is {{limit}} characters). Split it into parts.',
    SEARCH_QUERY_TOO_LONG: 'The search has too many words (the limit is {{limit}}). Use fewer, more specific words.',
    SEARCH_QUERY_EMPTY: 'Type at least one word to search for. Very common words such as "and" or "in" are ignored.',
  },
  ru: {
    SEARCH_KEY_INVALID: 'Ключ поиска этого раздела повреждён или отсутствует, поэтому поиск невозможен.',
    SEARCH_BAD_INPUT: 'Для поиска передан не текст.',
    SEARCH_TEXT_TOO_LONG: 'Текст слишком длинный, чтобы сделать его доступным для поиска (предел — {{limit}} символов). Разделите его на части.',
    SEARCH_QUERY_TOO_LONG: 'В запросе слишком много слов (предел — {{limit}}). Оставьте меньше слов, но точнее.',
    SEARCH_QUERY_EMPTY: 'Введите хотя бы одно слово для поиска. Очень частые слова вроде «и» или «в» не учитываются.',
  },
};
