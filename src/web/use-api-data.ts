import { useCallback, useEffect, useState } from 'react';
import { api, toApiError, type ApiError } from './api.js';

/**
 * Data a page reads from one GET endpoint: fetched on mount, fetched again by
 * `reload` after the page changes something; a failure lands in `onError`.
 */
export function useApiData<T>(path: string, onError: (error: ApiError) => void): { data: T | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await api<T>(path));
    } catch (e) {
      onError(toApiError(e));
    }
  }, [path, onError]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, reload };
}
