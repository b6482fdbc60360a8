// API errors in plain words, each with a next step, for the developer portal.
// The API's own message and code stay visible as the detail (support can use it).
import { ApiError, readableError } from "../api/errors";

export type Problem = { summary: string; next: string; detail: string };

const BY_CODE: Record<string, { summary: string; next: string }> = {
  invalid_credentials: { summary: "That email and password do not match an account.", next: "Check both for typos, or create an account if you have none." },
  developer_exists: { summary: "An account with this email already exists.", next: "Sign in with it instead." },
  rate_limited: { summary: "Too many attempts from here in a short time.", next: "Wait a minute, then try again." },
  api_key_invalid: { summary: "The API rejected this API key.", next: "Check that you pasted the whole key (ak_…) and that it has not been revoked; or sign in with your email." },
  session_invalid: { summary: "Your sign-in has ended.", next: "Sign in again." },
  csrf_token_invalid: { summary: "The page's security token did not match your session.", next: "Reload the page and try again." },
  voucher_not_redeemable: { summary: "No voucher that can still be redeemed has this code.", next: "Check the code for typos, or ask whoever gave it to you whether it expired." },
  voucher_used_up: { summary: "This voucher has been used as many times as it allows.", next: "Ask whoever gave it to you for a new one." },
  voucher_already_redeemed: { summary: "You have already redeemed this voucher.", next: "Each voucher works once per account; your credits are in the journal below." },
  payment_required: { summary: "You do not have enough credits for this.", next: "Redeem a voucher or add credits on the Credits screen, then try again." },
  insufficient_credits: { summary: "You do not have enough credits for this.", next: "Redeem a voucher or add credits on the Credits screen, then try again." },
  manifest_invalid: { summary: "The runtime's sigma-runtime.json is not valid.", next: "Run `assay validate` on the runtime directory to see what to fix." },
  network_error: { summary: "The API cannot be reached.", next: "Check your connection; the page retries when you try again." },
  api_unreachable: { summary: "The API is not answering the web server.", next: "Try again in a moment; if it persists, the platform is down." },
};

export function explain(error: unknown): Problem {
  const detail = readableError(error);
  if (error instanceof ApiError) {
    const known = BY_CODE[error.code] ?? (error.code.startsWith("voucher_") ? { summary: "This voucher cannot be redeemed.", next: "Check the code, or ask whoever gave it to you for a new one." } : undefined);
    if (known) return { ...known, detail };
    if (error.status === 400) return { summary: "Some of what you entered was not accepted.", next: "Correct the fields named below and send again.", detail };
    if (error.status === 401) return { summary: "You are not signed in any more.", next: "Sign in again.", detail };
    if (error.status === 402) return BY_CODE.payment_required ? { ...BY_CODE.payment_required, detail } : { summary: detail, next: "", detail };
    if (error.status === 404) return { summary: "That was not found.", next: "It may belong to another account, or the link is wrong; go back to the list.", detail };
    if (error.status === 409) return { summary: "That conflicts with what already exists.", next: "Reload to see the current state.", detail };
    if (error.status === 413) return { summary: "That is too large for the API.", next: "Send a smaller runtime (the limit is in the message).", detail };
    if (error.status >= 500 || error.status === 0) return { summary: "Something went wrong on our side.", next: "Try again in a moment.", detail };
  }
  if (error instanceof Error) return { summary: error.message, next: "", detail: "" };
  return { summary: "Something went wrong.", next: "Try again; if it keeps happening, note the detail below.", detail };
}
