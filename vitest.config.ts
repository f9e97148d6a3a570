import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture builds (gcc, dpkg-deb, cmake) take seconds; the default 5 s is too tight on a loaded CI box.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
