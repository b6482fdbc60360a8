// The developer portal's pure pieces: its routes and errors in plain words with a next step.
import { ApiError } from "../src/api/errors";
import { explain } from "../src/developer/problem";
import { matchRoute } from "../src/router";

test("developer sections are routes of their own", () => {
  for (const section of ["keys", "credits", "quote", "usage"] as const) expect(matchRoute(`/developer/${section}`)).toEqual({ page: "developer", section });
  expect(matchRoute("/developer/other")).toEqual({ page: "not-found", path: "/developer/other" });
});

test("errors read as plain words with a next step, keeping the API's detail", () => {
  const rejected = explain(new ApiError(401, "api_key_invalid", "the API key is not valid"));
  expect(rejected.summary).toBe("The API rejected this API key.");
  expect(rejected.next).toMatch(/revoked/);
  expect(rejected.detail).toBe("the API key is not valid (HTTP 401, api_key_invalid)");
  expect(explain(new ApiError(409, "developer_exists", "taken")).next).toBe("Sign in with it instead.");
  expect(explain(new ApiError(404, "voucher_not_redeemable", "no")).summary).toMatch(/voucher/);
  expect(explain(new ApiError(402, "something_new", "short")).next).toMatch(/Credits screen/);
  expect(explain(new ApiError(400, "", "bad", [{ path: "password", message: "at least 12 characters" }])).detail).toContain("password: at least 12 characters");
  expect(explain(new ApiError(503, "", "down")).summary).toBe("Something went wrong on our side.");
  expect(explain(new Error("Paste an API key first."))).toEqual({ summary: "Paste an API key first.", next: "", detail: "" });
});
