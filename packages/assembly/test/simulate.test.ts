import { replayAssembly } from "../src";
import { reputationSvg, runSimulation } from "../src/simulate";

const result = runSimulation({ rounds: 80, validators: 40, seed: 7 });

describe("simulation", () => {

  it("ends with honest validators above contrarian and colluding ones in reputation and stake (default parameters)", () => {
    const { honest, contrarian, colluding, lazy } = result.profiles;
    for (const other of [contrarian, colluding, lazy]) {
      expect(honest.reputation).toBeGreaterThan(other.reputation);
      expect(honest.stake).toBeGreaterThan(other.stake);
    }
    expect(honest.reputation).toBeGreaterThan(0.6);
    expect(contrarian.reputation).toBeLessThan(0.3);
  });

  it("gets few outcomes wrong with an honest majority", () => {
    expect(result.wrongOutcomes).toBeLessThan(0.1);
    expect(result.history.honest).toHaveLength(81);
  });

  it("is reproducible from its seed and changes with it", () => {
    expect(runSimulation({ rounds: 20, validators: 20, seed: 3 })).toEqual(runSimulation({ rounds: 20, validators: 20, seed: 3 }));
    expect(runSimulation({ rounds: 20, validators: 20, seed: 4 }).history).not.toEqual(runSimulation({ rounds: 20, validators: 20, seed: 3 }).history);
  });

  it("lets a captured assembly fail visibly: a colluding majority certifies bad submissions", () => {
    const captured = runSimulation({ rounds: 30, validators: 20, seed: 1, shares: { honest: 0.2, lazy: 0, contrarian: 0, colluding: 0.8 } });
    expect(captured.wrongOutcomes).toBeGreaterThan(0.2);
  });

  it("builds records that replay completely, rolls and escalations included", () => {
    const outcomes = new Set<string>();
    let multiRound = 0;
    runSimulation({ rounds: 40, validators: 30, seed: 11, shares: { honest: 0.4, lazy: 0.2, contrarian: 0.2, colluding: 0.2 } }, {
      onAssembly: ({ record, digest, snapshots }) => {
        const report = replayAssembly(JSON.parse(JSON.stringify(record)), { snapshots, expectedDigest: digest });
        expect(report.checks.filter((c) => !c.ok)).toEqual([]);
        expect(report.complete).toBe(true);
        outcomes.add(record.outcome.kind);
        if (record.rounds.length > 1) multiRound++;
      },
    });
    expect(outcomes).toEqual(new Set(["certify", "reject", "escalate"]));
    expect(multiRound).toBeGreaterThan(0);
  });

  it("plots one line per profile as a self-contained SVG", () => {
    const svg = reputationSvg(result.history, "t <&>");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    expect(svg).toContain("t &lt;&amp;&gt;");
  });
});

describe("absent profile", () => {
  it("never shows up: its seats are no-shows without a commit, and its reputation and stake fall", () => {
    const noShows: string[] = [];
    const absent = runSimulation(
      { rounds: 40, validators: 30, seed: 5, shares: { honest: 0.7, lazy: 0, contrarian: 0, colluding: 0, absent: 0.3 } },
      { onAssembly: ({ record }) => record.rounds.forEach((r) => r.tally.ballots.forEach((b) => b.status === "no_show" && noShows.push(b.reason ?? ""))) },
    );
    expect(absent.profiles.absent.count).toBe(9);
    // Honest validators always act, so every no-show is an absent one, and it never committed.
    expect(noShows.length).toBeGreaterThan(0);
    expect(new Set(noShows)).toEqual(new Set(["no_commit"]));
    expect(absent.profiles.absent.reputation).toBeLessThan(0.3);
    expect(absent.profiles.absent.stake).toBeLessThan(1_000_000);
    expect(absent.profiles.honest.reputation).toBeGreaterThan(0.6);
  });

  it("is not in the default population (no line in the plot)", () => {
    expect(result.profiles.absent.count).toBe(0);
    expect(result.history.absent).toBeUndefined();
  });
});
