import { allSeatsActed, phaseAt, phaseDeadlines } from "../src";
import { PARAMS, seats } from "./helpers";

const durations = { reviewSeconds: 60, commitSeconds: 30, revealSeconds: 30 };

describe("phases", () => {
  it("runs review → commit → reveal → tally on full durations", () => {
    expect(phaseDeadlines(0, durations)).toEqual({ reviewEndsAt: 60_000, commitEndsAt: 90_000, revealEndsAt: 120_000 });
    expect([0, 59_999, 60_000, 89_999, 90_000, 119_999, 120_000].map((t) => phaseAt(t, 0, durations))).toEqual([
      "review",
      "review",
      "commit",
      "commit",
      "reveal",
      "reveal",
      "tally",
    ]);
  });

  it("moves later deadlines forward when a phase closes early", () => {
    expect(phaseDeadlines(0, durations, { reviewClosedAt: 10_000 })).toEqual({ reviewEndsAt: 10_000, commitEndsAt: 40_000, revealEndsAt: 70_000 });
    expect(phaseAt(45_000, 0, durations, { reviewClosedAt: 10_000, commitClosedAt: 20_000 })).toBe("reveal");
    expect(phaseAt(50_000, 0, durations, { reviewClosedAt: 10_000, commitClosedAt: 20_000 })).toBe("tally");
    // A recorded close after the deadline does not extend the phase.
    expect(phaseDeadlines(0, durations, { reviewClosedAt: 99_000 }).reviewEndsAt).toBe(60_000);
  });

  it("uses the parameter defaults", () => {
    expect(phaseDeadlines(0, PARAMS).revealEndsAt).toBe((3_600 + 1_800 + 1_800) * 1000);
  });

  it("closes a phase early only when every seat has acted", () => {
    const s = seats([1, 1, 1]);
    expect(allSeatsActed(s, ["v000", "v001"])).toBe(false);
    expect(allSeatsActed(s, ["v002", "v000", "v001", "other"])).toBe(true);
  });
});
