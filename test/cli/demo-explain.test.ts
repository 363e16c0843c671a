/**
 * The demo's explain step: after heal, unauthorized calls in workload-dev raise tripwire's
 * alarm on the simulated live chain, and explain reads the alarm's notification from the queue.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";

interface Captured extends CliIo {
  readonly out: string[];
}

function captureIo(): Captured {
  const out: string[] = [];
  return { out, stdout: (t) => void out.push(t), stderr: () => undefined, env: {}, isTty: false };
}

interface ExplainDocument {
  alarm: { accountName: string; state: string };
  matched: number;
  excluded: number;
  groups: { principal: string; count: number; excludedBy: { index: number } | null }[];
}

describe("tripwire demo, step 5", () => {
  let text: string;
  let code: number;

  beforeAll(async () => {
    const io = captureIo();
    code = await main(["demo"], io);
    text = io.out.join("");
  });

  it("exits 0 after explaining the alarm", () => {
    expect(code).toBe(0);
  });

  it("explains tripwire's alarm in the account it healed", () => {
    expect(text).toMatch(/Unauthorized API calls in account \d{12} \(workload-dev\), us-east-1\./);
  });

  it("names the person whose call pages", () => {
    expect(text).toMatch(/ {5}1 {2}arn:aws:sts::\d{12}:assumed-role\/OrganizationAccountAccessRole\/jane\.doe\n/);
  });

  it("sets the CI pipeline's calls aside under the demo's exclusion", () => {
    expect(text).toMatch(/excluded by exclusions\[0\]: the CI pipeline probes for its deploy role/);
  });
});

describe("tripwire demo --json", () => {
  let document: { explain: ExplainDocument };

  beforeAll(async () => {
    const io = captureIo();
    await main(["demo", "--json"], io);
    document = JSON.parse(io.out.join(""));
  });

  it("holds the explained alarm as explain --json prints it", () => {
    expect(document.explain).toMatchObject({
      alarm: { accountName: "workload-dev", state: "ALARM" },
      matched: 4,
      excluded: 3,
    });
  });

  it("groups the CI pipeline's three calls as excluded by the first exclusion", () => {
    const ci = document.explain.groups.find((g) => g.principal.endsWith("/ci-deployer"));
    expect(ci).toMatchObject({ count: 3, excludedBy: { index: 0 } });
  });
});
