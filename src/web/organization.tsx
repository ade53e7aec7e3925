import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { isLanguage, type OrganizationInfo } from '../core/index.js';
import { type ApiError, toApiError } from './api.js';
import { api } from './api/client.js';
import { applyOrganizationLanguage } from './i18n.js';

export interface OrganizationState {
  loading: boolean;
  error: ApiError | null;
  setUp: boolean;
  /** As the server states it; the public key is compared with this browser's pin before anyone relies on it. */
  organization: OrganizationInfo | null;
  reload(): Promise<void>;
}

const OrganizationContext = createContext<OrganizationState | null>(null);

/** Whether the server has been set up, and the organization's name: read once, reloaded after setup. */
export function OrganizationProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Omit<OrganizationState, 'reload'>>({ loading: true, error: null, setUp: false, organization: null });
  const reload = useCallback(async () => {
    try {
      const data = await api.setup.status();
      if (data.organization && isLanguage(data.organization.defaultLanguage)) await applyOrganizationLanguage(data.organization.defaultLanguage);
      setState({ loading: false, error: null, setUp: data.setUp, organization: data.organization ?? null });
    } catch (e) {
      setState((s) => ({ ...s, loading: false, error: toApiError(e) }));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return <OrganizationContext.Provider value={{ ...state, reload }}>{children}</OrganizationContext.Provider>;
}

export function useOrganization(): OrganizationState {
  const value = useContext(OrganizationContext);
  if (!value) throw new Error('useOrganization outside OrganizationProvider');
  return value;
}
