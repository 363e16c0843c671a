import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/cli once: the suites that run the `tripwire` bin run the built JavaScript.
    globalSetup: ["test/support/build-cli.global.ts"],
    // Some tests run the whole demo or a CLI child process: about 2 s on a quiet 2-core machine,
    // past vitest's default of 5 s when the machine is loaded. A hung test still fails.
    testTimeout: 30_000,
    // The SDK warns once per process that its releases after early January 2027 need Node 22;
    // tests run on Node 20 on purpose, and compare stderr, so they silence it (the CLI does not).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
