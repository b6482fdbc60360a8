// Who is signed in to the developer portal, shared by every developer screen.
// Two ways in (docs/decisions/0029): email + password, which gives an HttpOnly
// session cookie the page never sees plus a CSRF token kept in memory; or an
// API key, kept in this tab's sessionStorage and checked with the API before
// the portal says "signed in" (a rejected key is an error, never a sign-in).
import { useSyncExternalStore } from "react";
import type { DeveloperSession } from "@assay/protocol";
import { developerApi, type Credential } from "../api/client";
import { ApiError } from "../api/errors";

const KEY_STORAGE = "assay.developer.apiKey";

export type SessionState =
  | { state: "checking" }
  | { state: "signed-out"; notice?: string }
  | { state: "unreachable"; error: unknown }
  | { state: "signed-in"; credential: Credential; session: DeveloperSession };

let current: SessionState = { state: "checking" };
let started = false;
const listeners = new Set<() => void>();

function set(next: SessionState) {
  current = next;
  for (const listener of listeners) listener();
}

function storedKey(): string | null {
  try {
    return window.sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

function storeKey(key: string | null) {
  try {
    if (key === null) window.sessionStorage.removeItem(KEY_STORAGE);
    else window.sessionStorage.setItem(KEY_STORAGE, key);
  } catch {
    // Storage disabled: the key lasts until the page reloads.
  }
}

function signedIn(session: DeveloperSession, apiKey?: string) {
  const credential: Credential = apiKey ? { kind: "api-key", key: apiKey } : { kind: "cookie", csrfToken: session.csrfToken ?? "" };
  set({ state: "signed-in", credential, session });
}

/** Reads the current sign-in from the API: a stored API key first, else the session cookie. */
export async function refreshSession(): Promise<void> {
  const key = storedKey();
  try {
    if (key) {
      signedIn(await developerApi.session({ kind: "api-key", key }), key);
      return;
    }
    signedIn(await developerApi.session());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      if (key) storeKey(null);
      set({ state: "signed-out", ...(key ? { notice: "The API key saved in this tab was rejected (revoked or mistyped), so it was forgotten. Sign in, or paste a current key." } : {}) });
      return;
    }
    set({ state: "unreachable", error });
  }
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!started) {
    started = true;
    void refreshSession();
  }
  return () => listeners.delete(listener);
}

export function useDeveloperSession(): SessionState {
  return useSyncExternalStore(subscribe, () => current);
}

export async function signIn(email: string, password: string): Promise<void> {
  storeKey(null);
  signedIn(await developerApi.signIn({ email, password }));
}

export async function signUp(name: string, email: string, password: string): Promise<void> {
  storeKey(null);
  signedIn(await developerApi.signUp({ name, email, password }));
}

/** Checks the key with the API before keeping it: a rejected key throws and nothing is stored. */
export async function signInWithApiKey(key: string): Promise<void> {
  const session = await developerApi.session({ kind: "api-key", key }).catch((error: unknown) => {
    // Whatever code the API gives a refused key, the page says the key was rejected.
    if (error instanceof ApiError && error.status === 401) throw new ApiError(401, "api_key_invalid", error.message, error.issues);
    throw error;
  });
  storeKey(key);
  signedIn(session, key);
}

export async function signOut(): Promise<void> {
  const now = current;
  storeKey(null);
  if (now.state === "signed-in" && now.credential.kind === "cookie") await developerApi.signOut(now.credential).catch(() => undefined);
  set({ state: "signed-out", notice: "You are signed out." });
}

/** A call answered 401 mid-session (signed out elsewhere, expired, key revoked): back to the sign-in screen, saying why. */
export function sessionEnded(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 401) return false;
  storeKey(null);
  set({ state: "signed-out", notice: "Your sign-in ended (it expired, was signed out elsewhere, or the API key was revoked). Sign in again to continue." });
  return true;
}
