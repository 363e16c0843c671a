/** `tripwire prune [--dry-run]` on the simulated organization. */
import { beforeEach, describe, expect, it } from "vitest";
import { pruneCommand } from "../../shared/cli/commands/prune.ts";
import type { CliIo } from "../../shared/cli/io.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { ControlRun } from "../../shared/use-cases/review/control-run.ts";
import {
  factoryFor,
  organizationWithSampleMember,
  SAMPLE_ACCOUNT,
  settingsFor,
  writeCalls,
} from "../support/heal-harness.ts";

let org: SimulatedOrganization;
let out: string[];
const io: CliIo = { stdout: (t) => void out.push(t), stderr: () => undefined, env: {}, isTty: false };

beforeEach(async () => {
  ({ org } = organizationWithSampleMember());
  const settings = settingsFor();
  await new ControlRun(factoryFor(org, settings), settings, "fix").reviewAccount({
    id: SAMPLE_ACCOUNT,
    name: "workload-prod",
    status: "ACTIVE",
  });
  org.calls.reset();
  out = [];
});

const run = (raw = {}) => {
  const settings = settingsFor({ accounts: [SAMPLE_ACCOUNT], ...raw });
  return pruneCommand.run({ settings, io, options: {}, factoryFor: () => factoryFor(org, settings) });
};

describe("tripwire prune", () => {
  it("exits 0 and counts what it deleted", async () => {
    const code = await run();
    expect(code).toBe(0);
    expect(out.at(-1)).toBe("4 resource(s) deleted in 1 account(s), 0 error(s)\n");
  });

  it("with --dry-run lists what it would delete and writes nothing", async () => {
    const code = await run({ dryRun: true });
    expect(code).toBe(0);
    expect(out.filter((l) => l.includes("would delete"))).toHaveLength(4);
    expect(writeCalls(org)).toEqual([]);
  });

  it("exits 1 when an account cannot be pruned", async () => {
    org.account(SAMPLE_ACCOUNT).removeRole("OrganizationAccountAccessRole");
    expect(await run()).toBe(1);
  });
});
