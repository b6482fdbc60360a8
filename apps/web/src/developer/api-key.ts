// The developer's API key lives in sessionStorage: gone when the tab closes,
// never written to localStorage or a cookie by this app.
import { useCallback, useState } from "react";
import type { Credential } from "../api/client";

const STORAGE_KEY = "assay.developer.apiKey";

function read(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function useApiKey(): { credential: Credential | null; save: (key: string) => void; forget: () => void } {
  const [key, setKey] = useState<string | null>(read);
  const save = useCallback((value: string) => {
    window.sessionStorage.setItem(STORAGE_KEY, value);
    setKey(value);
  }, []);
  const forget = useCallback(() => {
    window.sessionStorage.removeItem(STORAGE_KEY);
    setKey(null);
  }, []);
  return { credential: key ? { kind: "api-key", key } : null, save, forget };
}
