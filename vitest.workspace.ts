/**
 * The one list of test projects. Vitest 4+ no longer discovers a workspace file on its own, so the
 * root `vitest.config.ts` imports this list as `test.projects`. Each entry is a folder with its own
 * `vitest.config.ts` (name, includes, setup), so a package or service owns how its tests run;
 * `scripts/new` is the generator's (`pnpm new`), whose end-to-end test takes about 2 minutes.
 */
export default ['packages/*', 'services/*', 'scripts/new']
