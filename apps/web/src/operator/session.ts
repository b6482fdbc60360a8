// The operator's session token lives in sessionStorage (gone with the tab).
import { useCallback, useState } from "react";
import type { Credential } from "../api/client";

const STORAGE_KEY = "assay.operator.session";

type Stored = { token: string; email: string; role?: string; expiresAt?: string };

function read(): Stored | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as Stored;
    if (stored.expiresAt && Date.parse(stored.expiresAt) <= Date.now()) return null;
    return stored;
  } catch {
    return null;
  }
}

export function useOperatorSession() {
  const [session, setSession] = useState<Stored | null>(read);
  const signIn = useCallback((stored: Stored) => {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    setSession(stored);
  }, []);
  const signOut = useCallback(() => {
    window.sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);
  const credential: Credential | null = session ? { kind: "session", token: session.token } : null;
  return { session, credential, signIn, signOut };
}
