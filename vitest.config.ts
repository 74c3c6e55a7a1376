import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one Elasticsearch; each uses its own index prefix,
    // but running files one at a time keeps a 2-core machine from thrashing.
    fileParallelism: false,
  },
});
