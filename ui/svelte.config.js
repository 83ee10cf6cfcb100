// Svelte compiler options: TypeScript in components through vitePreprocess.
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default { preprocess: vitePreprocess() };
