import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  encodePublicKey,
  fingerprint,
  prepareLogin,
  toBase64url,
  parseKeyBundle,
  wipeMemberKeys,
  type LoginRequest,
  type MemberKeys,
  type MyKeysResponse,
  type OrganizationKeyPair,
  type OrganizationPublicKey,
  type PendingLogin,
  type SessionInfo,
  type SessionStage,
} from '../core/index.js';
import { ApiError, setAuthLostHandler, setCsrfToken, toApiError } from './api.js';
import { api } from './api/client.js';
import { keyStore as defaultKeyStore, type KeyStore } from './keys/key-store.js';
import { activityEvents, IdleTimer, idleLockMs } from './idle.js';
import { browserPinStore, checkMemberCertificate, checkOrganizationPin, pinOrganizationKey, type PinCheck, type PinStore } from './trust.js';
import { copyMemberKeys, followRotation, pinFromBundle } from './pin.js';

export type SessionStatus = 'loading' | 'anonymous' | SessionStage;

interface SessionState {
  status: SessionStatus;
  info: SessionInfo | null;
  /** Whether the member's private keys are open (they live in the key store, never in React state). */
  unlocked: boolean;
  /** Whether the key store can open the organization key (an administrator's, unlocked). */
  holdsOrganizationKey: boolean;
  /** The member's own key fingerprint while unlocked: public, so it may live in state. */
  memberFingerprint: string | null;
  /** For a full session: the server's organization key compared with this browser's pin. */
  pin: PinCheck | null;
  /** Why the keys are not open: set when they were wiped, so the unlock screen can say why. */
  lockReason: 'manual' | 'idle' | null;
  /** Set when the certificate the server returns for us does not vouch for our own keys. */
  ownCertificateProblem: string | null;
}

export interface Session extends SessionState {
  /** The pinned organization key, once it matched (or was pinned) in this session. */
  organizationKey: OrganizationPublicKey | null;
  refresh(): Promise<void>;
  /** Prelogin, Argon2id in this browser, login; returns the stage the server put the session in. */
  logIn(name: string, passphrase: string): Promise<SessionStage>;
  /** After the second factor: loads the session and opens the keys with the passphrase given at login, if still held. */
  finishLogin(csrfToken: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  lock(reason?: 'manual' | 'idle'): void;
  logOut(): Promise<void>;
  logOutEverywhere(): Promise<void>;
  /** The person confirmed, through another channel, that the organization key really changed. */
  trustOfferedOrganizationKey(): void;
  /** Opens the organization key for one signature and wipes it right after. */
  withOrganizationKey<T>(use: (pair: OrganizationKeyPair) => T): T;
  /** After an organization-key rotation: reloads the pin and the sealed organization key, keys staying open. */
  reloadTrust(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

const initial: SessionState = {
  status: 'loading',
  info: null,
  unlocked: false,
  holdsOrganizationKey: false,
  memberFingerprint: null,
  pin: null,
  lockReason: null,
  ownCertificateProblem: null,
};

/** As long as the server keeps a half-finished login (second factor pending). */
const pendingLoginMs = 10 * 60 * 1000;

/** Lets the browser paint the progress indicator before Argon2id holds the main thread for a second. */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * The bundle does not open: with a wrong passphrase (the usual case) or a
 * bundle the server changed. Only the authentication key the server accepted
 * at login tells them apart: the same key from this passphrase means the
 * passphrase is right, so the bundle changed. Without it (after a reload) we
 * cannot know, and say the usual thing.
 */
export function openForUnlock(attempt: PendingLogin, bundle: unknown, acceptedAuthPublicKey: string | null): MemberKeys {
  if (acceptedAuthPublicKey !== null && attempt.authPublicKey !== acceptedAuthPublicKey)
    throw new ApiError('KEY_BUNDLE_WRONG_PASSPHRASE', 0, 'wrong passphrase');
  try {
    return attempt.openBundle(bundle);
  } catch (e) {
    const error = toApiError(e);
    if (error.code === 'KEY_BUNDLE_WRONG_PASSPHRASE' && acceptedAuthPublicKey !== null)
      throw new ApiError('KEY_BUNDLE_CHANGED', 0, 'the passphrase is right but the stored keys do not open');
    throw error;
  }
}

function ownCertificateProblem(pin: PinCheck, info: SessionInfo, keys: MemberKeys, certificate: unknown): string | null {
  if (pin.state !== 'match' && pin.state !== 'pinned') return null;
  const check = checkMemberCertificate(pin.key, {
    id: info.member.id,
    name: info.member.name,
    role: info.member.role,
    encryptionPublicKey: encodePublicKey(keys.encryption.publicKey),
    signingPublicKey: encodePublicKey(keys.signing.publicKey),
    certificate,
  });
  return check.state === 'invalid' ? check.code : null;
}

export function SessionProvider({
  children,
  pinStore,
  keyStore = defaultKeyStore,
  onSignedOut,
}: {
  children: ReactNode;
  pinStore?: PinStore;
  keyStore?: KeyStore;
  /** After logout or session loss: what another member logging in here must not see (the query cache). */
  onSignedOut?: () => void;
}) {
  const [state, setState] = useState<SessionState>(initial);
  const store = useMemo(() => pinStore ?? browserPinStore(), [pinStore]);
  const pending = useRef<PendingLogin | null>(null);
  const pendingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;

  const forgetPending = useCallback(() => {
    pending.current?.wipe();
    pending.current = null;
    if (pendingTimer.current) clearTimeout(pendingTimer.current);
    pendingTimer.current = null;
  }, []);

  const wipeKeys = useCallback(() => keyStore.wipeAll(), [keyStore]);

  const clear = useCallback(() => {
    keyStore.forgetSession();
    forgetPending();
    setCsrfToken(null);
    signedOut.current?.();
    setState({ ...initial, status: 'anonymous' });
  }, [keyStore, forgetPending]);

  /** Reads the session; for a full one also the keys, opened with `open` when given. Sets everything in one update. */
  const load = useCallback(
    async (open: ((mine: MyKeysResponse) => Promise<MemberKeys> | MemberKeys) | null): Promise<void> => {
      let info: SessionInfo;
      try {
        info = await api.session.get();
      } catch (e) {
        const error = toApiError(e);
        if (error.code === 'AUTH_REQUIRED' || error.code === 'NOT_SET_UP') {
          clear();
          return;
        }
        throw error;
      }
      setCsrfToken(info.csrfToken);
      if (info.stage !== 'full') {
        setState((s) => ({ ...s, status: info.stage, info, pin: null }));
        return;
      }
      // No pin yet: nothing is pinned until the key bundle vouches for the key (src/web/pin.ts).
      let pin = await followRotation(store, checkOrganizationPin(store, info.organization.publicKey, { pinIfNew: false }), info.organization.publicKey);
      let keys: MemberKeys | null = null;
      let sealed: unknown = null;
      let problem: string | null = null;
      // A changed organization key means the server may be lying about everyone's keys: do not unlock.
      if (open && pin.state !== 'mismatch') {
        const mine = await api.me.keys();
        keys = await open(mine);
        if (pin.state === 'pinned') pin = await pinFromBundle(store, mine.keyBundle, info.organization.publicKey);
        // The bundle binds another organization key than the server's: as with a changed pin, do not unlock.
        if (pin.state === 'mismatch') {
          wipeMemberKeys(keys);
          keys = null;
        }
        sealed = mine.sealedOrganizationKey;
        if (keys) problem = ownCertificateProblem(pin, info, keys, mine.certificate);
      }
      if (keys) keyStore.setMemberKeys(keys, sealed);
      setState((s) => ({
        ...s,
        status: 'full',
        info,
        pin,
        ...(keys
          ? {
              unlocked: true,
              holdsOrganizationKey: keyStore.hasOrganizationKey(),
              memberFingerprint: fingerprint(keys.encryption.publicKey, keys.signing.publicKey),
              lockReason: null,
              ownCertificateProblem: problem,
            }
          : {}),
      }));
    },
    [store, clear, keyStore],
  );

  const refresh = useCallback(() => load(null), [load]);

  useEffect(() => {
    setAuthLostHandler(clear);
    void refresh().catch(() => setState((s) => (s.status === 'loading' ? { ...s, status: 'anonymous' } : s)));
    return () => setAuthLostHandler(null);
  }, [refresh, clear]);

  const finishLogin = useCallback(
    async (csrfToken: string) => {
      setCsrfToken(csrfToken);
      const held = pending.current;
      try {
        // The server accepted this passphrase's proof: a bundle that does not open was changed there.
        await load(held ? (mine) => openForUnlock(held, mine.keyBundle, held.authPublicKey) : null);
      } finally {
        forgetPending();
      }
    },
    [load, forgetPending],
  );

  const logIn = useCallback(
    async (name: string, passphrase: string): Promise<SessionStage> => {
      forgetPending();
      const pre = await api.auth.prelogin({ name });
      await nextPaint();
      const login = await prepareLogin(passphrase, pre.kdf);
      try {
        // The proof names this member, this origin and this challenge: a recording of it opens nothing.
        const proof = login.prove({ purpose: 'login', challenge: pre.challenge, memberId: pre.memberId, origin: window.location.origin });
        const body: LoginRequest = {
          name,
          challenge: pre.challenge,
          proof,
          // An account made before login proofs moves over with this one login.
          ...(pre.upgrade ? { authKey: toBase64url(login.authKey), authPublicKey: login.authPublicKey } : {}),
        };
        login.authKey.fill(0);
        const result = await api.auth.login(body);
        keyStore.rememberAuthPublicKey(login.authPublicKey);
        pending.current = login;
        // An abandoned second-factor step must not leave the master key in memory; the server forgets the half-login too.
        pendingTimer.current = setTimeout(forgetPending, pendingLoginMs);
        if (result.stage === 'full') await finishLogin(result.csrfToken);
        else {
          setCsrfToken(result.csrfToken);
          await refresh();
        }
        return result.stage;
      } catch (e) {
        login.wipe();
        if (pending.current === login) pending.current = null;
        throw e;
      }
    },
    [forgetPending, finishLogin, refresh],
  );

  const unlock = useCallback(
    async (passphrase: string) => {
      if (state.pin?.state === 'mismatch') throw new ApiError('ORGANIZATION_KEY_CHANGED', 0, 'organization key changed');
      await load(async (mine) => {
        await nextPaint();
        const attempt = await prepareLogin(passphrase, parseKeyBundle(mine.keyBundle).kdf);
        try {
          return openForUnlock(attempt, mine.keyBundle, keyStore.authPublicKey());
        } finally {
          attempt.authKey.fill(0);
          attempt.wipe();
        }
      });
    },
    [state.pin, load, keyStore],
  );

  const lock = useCallback(
    (reason: 'manual' | 'idle' = 'manual') => {
      wipeKeys();
      setState((s) => ({ ...s, unlocked: false, holdsOrganizationKey: false, memberFingerprint: null, lockReason: reason }));
    },
    [wipeKeys],
  );

  const logOut = useCallback(async () => {
    try {
      await api.auth.logout();
    } finally {
      clear();
    }
  }, [clear]);

  const logOutEverywhere = useCallback(async () => {
    await api.auth.logoutEverywhere();
    clear();
  }, [clear]);

  const trustOfferedOrganizationKey = useCallback(() => {
    const offered = state.info?.organization.publicKey;
    if (!offered) return;
    pinOrganizationKey(store, offered);
    setState((s) => ({ ...s, pin: checkOrganizationPin(store, offered) }));
  }, [state.info, store]);

  const organizationKey = state.pin && (state.pin.state === 'match' || state.pin.state === 'pinned') ? state.pin.key : null;

  const reloadTrust = useCallback(() => load(() => copyMemberKeys(keyStore.memberKeys())), [load, keyStore]);

  const withOrganizationKey = useCallback(
    <T,>(use: (pair: OrganizationKeyPair) => T): T => keyStore.withOrganizationKey(organizationKey, use),
    [keyStore, organizationKey],
  );

  // Coming back to the tab re-reads the session, as the query cache does its data: a certificate issued meanwhile shows without a reload.
  const full = state.status === 'full';
  useEffect(() => {
    if (!full) return;
    let last = Date.now();
    const onVisible = () => {
      if (document.visibilityState !== 'visible' || Date.now() - last < 10_000) return;
      last = Date.now();
      void refresh().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [full, refresh]);

  // The idle lock runs only while keys are open.
  const unlocked = state.unlocked;
  useEffect(() => {
    if (!unlocked) return;
    const timer = new IdleTimer(idleLockMs, () => lock('idle'));
    const onActivity = () => timer.activity();
    for (const event of activityEvents) window.addEventListener(event, onActivity, { passive: true, capture: true });
    return () => {
      timer.stop();
      for (const event of activityEvents) window.removeEventListener(event, onActivity, { capture: true });
    };
  }, [unlocked, lock]);

  // Keys must not outlive the app (a hot reload, a test unmount).
  useEffect(() => () => wipeKeys(), [wipeKeys]);

  const value: Session = {
    ...state,
    organizationKey,
    refresh,
    logIn,
    finishLogin,
    unlock,
    lock,
    logOut,
    logOutEverywhere,
    trustOfferedOrganizationKey,
    withOrganizationKey,
    reloadTrust,
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
