import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/infra/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on CI: integration suites start real servers, keep them from fighting.
    maxWorkers: 2,
    // A worker's test files share its module cache: isolated, each file imported the CLI,
    // the AWS SDK and aws-cdk-lib anew, about half the suite's CPU. A worker still runs one
    // file at a time, and no file leaves state behind (servers are per file; the mail store
    // aws-ses-v2-local keeps per process is emptied when a file starts it).
    isolate: false,
    reporters: ['default'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
