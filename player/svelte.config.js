// Every component is written with runes (Svelte 5).
export default { compilerOptions: { runes: true } };
