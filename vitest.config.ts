import { defineConfig } from 'vitest/config';

/**
 * Tests are tiered by what they touch:
 * - unit: pure code (core and small helpers), no database, no browser;
 * - use-cases: use cases and resource policies called directly against a real
 *   database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), no HTTP,
 *   no browser login: the permission matrices run in seconds;
 * - integration: the server against a real database (PGlite, and PostgreSQL
 *   when TEST_DATABASE_URL is set — required under CI=true), real tools such as `age`;
 * - e2e: the built web app in Debian's Chromium driven by playwright-core.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'use-cases',
          include: ['test/use-cases/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Each login runs Argon2id (128 MiB) in the page; on two busy cores a flow of several logins takes minutes.
          testTimeout: 600_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
