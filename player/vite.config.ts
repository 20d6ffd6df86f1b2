import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// `npm run dev -w player`: the app with hot reload, the APIs proxied as the player's server does.
const commandApi = process.env.COMMAND_API_URL ?? 'http://127.0.0.1:4001';
const queryApi = process.env.QUERY_API_URL ?? 'http://127.0.0.1:4002';

export default defineConfig({
  plugins: [svelte()],
  // dash.js (~820 kB) is its own chunk, loaded only when playback starts.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 900 },
  server: {
    proxy: {
      '/api/commands': {
        target: commandApi,
        changeOrigin: true,
        rewrite: (path) => path.replace(/^\/api\/commands/, ''),
      },
      '/api/queries': { target: queryApi, changeOrigin: true, rewrite: (path) => path.replace(/^\/api\/queries/, '') },
    },
  },
});
