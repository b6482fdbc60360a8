// The shell: header navigation and the page for the current route.
import { useEffect, useRef } from "react";
import { DeveloperPortal } from "./developer/DeveloperPortal";
import { SubmissionPage } from "./developer/SubmissionPage";
import { OperatorConsole } from "./operator/OperatorConsole";
import { Link, matchRoute, usePathname } from "./router";
import { ValidatorPortal } from "./validator/ValidatorPortal";
import { VerifyPage } from "./verify/VerifyPage";

export function App() {
  const pathname = usePathname();
  const route = matchRoute(pathname);
  // Why: after a client-side navigation, screen readers and keyboard users start
  // at the new page's content, as after a full page load (not on first load).
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById("main")?.focus();
  }, [pathname]);
  const current = (section: string) => (route.page === section || (section === "developer" && route.page === "submission") ? "page" : undefined);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Assay
        </Link>
        <nav aria-label="Main">
          <Link to="/" aria-current={current("verify")}>
            Verify
          </Link>
          <Link to="/developer" aria-current={current("developer")}>
            Developer
          </Link>
          <Link to="/validator" aria-current={current("validator")}>
            Validator
          </Link>
          <Link to="/operator" aria-current={current("operator")}>
            Operator
          </Link>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === "verify" && <VerifyPage key={route.id ?? ""} initialId={route.id} />}
        {route.page === "developer" && <DeveloperPortal key={route.section ?? "submissions"} section={route.section ?? "submissions"} />}
        {route.page === "submission" && <SubmissionPage id={route.id} />}
        {route.page === "operator" && <OperatorConsole />}
        {route.page === "validator" && <ValidatorPortal />}
        {route.page === "not-found" && (
          <section>
            <h1>Page not found</h1>
            <p>
              Nothing lives at <code>{route.path}</code>. <Link to="/">Verify a certificate</Link> instead.
            </p>
          </section>
        )}
      </main>
      <footer className="site-footer">
        <p>Assay certifies conformance evidence for named SRIPs. Verification on this page runs in your browser.</p>
      </footer>
    </>
  );
}
