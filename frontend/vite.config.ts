import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Django serves dist/index.html at the app's routes and the files of dist/ at the site root
// (WhiteNoise's WHITENOISE_ROOT, so /assets/...). WARGAME_ASSET_BASE moves them, e.g. to /static/.
// In development, `npm run dev` proxies the API and websockets to a local Django.
const backend = process.env.WARGAME_BACKEND ?? "http://127.0.0.1:8000";
const assetBase = process.env.WARGAME_ASSET_BASE ?? "/";

export default defineConfig(({ command }) => ({
  base: command === "build" ? assetBase : "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // Django checks the Origin of websockets and of unsafe requests against its own address.
    proxy: {
      "/api": { target: backend, changeOrigin: true, headers: { origin: backend } },
      "/ws": { target: backend, ws: true, changeOrigin: true, headers: { origin: backend } },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
}));
