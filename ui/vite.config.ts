// Vite builds the Svelte UI into ui/dist, which the Tauri shell embeds into its binary.
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { availableParallelism } from "node:os";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ on Debian 12 and WebView2 on Windows 10+.
    target: "safari15",
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/testing/setup.ts"],
    // One test file per core. Vitest's default leaves a core to itself, which on a 2-core machine
    // runs the files one at a time (91 s instead of 61 s here); the run has the machine to itself.
    maxWorkers: availableParallelism(),
    minWorkers: 1,
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
});
