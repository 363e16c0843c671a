import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../shared/cli/args.ts";

describe("parseCommandLine", () => {
  it("reads the command and maps options to settings", () => {
    const parsed = parseCommandLine([
      "fix",
      "--dry-run",
      "--regions",
      "eu-west-1",
      "--notify",
      "email:a@example.com",
      "--notify",
      "sqs:arn:aws:sqs:eu-west-1:111111111111:q",
    ]);
    expect(parsed.command?.name).toBe("fix");
    expect(parsed.settings).toEqual({
      dryRun: true,
      regions: "eu-west-1",
      notify: ["email:a@example.com", "sqs:arn:aws:sqs:eu-west-1:111111111111:q"],
    });
  });

  it("maps --profile to the AWS profile setting", () => {
    expect(parseCommandLine(["scan", "--profile", "audit"]).settings.awsProfile).toBe("audit");
  });

  it("takes --dedicated-role as a flag without a value", () => {
    expect(parseCommandLine(["heal", "--dedicated-role"]).settings.dedicatedRole).toBe(true);
  });

  it("rejects an unknown option with a one-line message", () => {
    expect(() => parseCommandLine(["scan", "--region", "eu-west-1"])).toThrow(/^Unknown option '--region'$/);
  });

  it("rejects an unknown command and lists the known ones", () => {
    expect(() => parseCommandLine(["sacn"])).toThrow(
      /unknown command "sacn" \(commands: scan, fix, heal, explain, replay, prune, prove, demo, evidence\)/,
    );
  });

  it("treats no command as a request for help", () => {
    expect(parseCommandLine([]).help).toBe(true);
  });

  it("reads `help <command>` as that command's --help", () => {
    const parsed = parseCommandLine(["help", "heal"]);
    expect(parsed).toMatchObject({ help: true, command: { name: "heal" } });
  });

  it("accepts a command's own option only after that command", () => {
    expect(parseCommandLine(["heal", "--event", "e.json"]).options.event).toBe("e.json");
    expect(() => parseCommandLine(["scan", "--event", "e.json"])).toThrow(/^Unknown option '--event'$/);
  });
});

describe("long arguments in messages (issue 8, item 7)", () => {
  const long = "x".repeat(1_000_000);

  it("shortens an unknown option", () => {
    expect(() => parseCommandLine(["scan", `--${long}`])).toThrow(/^Unknown option '--x+… \(\d+ characters\)$/);
  });

  it("shortens an unexpected argument", () => {
    let message = "";
    try {
      parseCommandLine(["scan", long]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`unexpected argument "${"x".repeat(60)}"… (1000000 characters) after scan`);
  });

  it("shortens an unknown command", () => {
    expect(() => parseCommandLine([long])).toThrow(/^unknown command "x{60}"… \(1000000 characters\) \(commands: /);
  });
});
