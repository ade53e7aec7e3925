import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../session.js';

/** Abandons a login halfway (second factor pending): ends the half-open session and returns to the login page. */
export function CancelLogin() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  return (
    <p>
      <button type="button" className="link" onClick={() => void session.logOut().then(() => navigate('/login'))}>
        {t('auth.cancelLogin')}
      </button>
    </p>
  );
}
