// Client-side routing over the History API: the app has a handful of routes, so a
// route table and a Link are all it needs.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export type Route =
  | { page: "verify"; id: string | null }
  | { page: "developer"; section?: "keys" | "credits" | "quote" | "usage" }
  | { page: "submission"; id: string }
  | { page: "operator" }
  | { page: "validator" }
  | { page: "registry" }
  | { page: "registry-certificate"; id: string }
  | { page: "not-found"; path: string };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { page: "verify", id: null };
  let m = /^\/verify\/([^/]+)$/.exec(path);
  if (m) return { page: "verify", id: decodeURIComponent(m[1]!) };
  if (path === "/developer") return { page: "developer" };
  m = /^\/developer\/(keys|credits|quote|usage)$/.exec(path);
  if (m) return { page: "developer", section: m[1] as "keys" | "credits" | "quote" | "usage" };
  m = /^\/developer\/submissions\/([^/]+)$/.exec(path);
  if (m) return { page: "submission", id: decodeURIComponent(m[1]!) };
  if (path === "/operator") return { page: "operator" };
  if (path === "/validator") return { page: "validator" };
  if (path === "/registry") return { page: "registry" };
  m = /^\/registry\/([^/]+)$/.exec(path);
  if (m) return { page: "registry-certificate", id: decodeURIComponent(m[1]!) };
  return { page: "not-found", path };
}

export function Link({ to, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
