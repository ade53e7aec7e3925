import { useTranslation } from 'react-i18next';
import { languages, type Language } from '../../core/index.js';
import { switchLanguage } from '../i18n.js';

const names: Record<Language, string> = { ru: 'Русский', en: 'English' };

/** Always visible; each language is named in itself so anyone can find theirs. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t('app.language')}>
      {languages.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          aria-pressed={i18n.language === lang}
          onClick={() => void switchLanguage(lang)}
          data-testid={`language-${lang}`}
        >
          {names[lang]}
        </button>
      ))}
    </div>
  );
}
