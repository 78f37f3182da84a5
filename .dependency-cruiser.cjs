/**
 * The layering rules of the repo, checked by `pnpm lint`:
 * domain is pure; packages never reach into services; services never reach into each other.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'packages/domain holds rules and schemas only: no AWS SDK, no middy, no Powertools, no Node I/O.',
      severity: 'error',
      from: { path: '^packages/domain/' },
      to: {
        path: [
          '(^|node_modules/)(@aws-sdk|@middy|@aws-lambda-powertools|@smithy|sharp)(/|$)',
          '^packages/(?!domain/)',
          '^services/',
        ],
      },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      from: { path: '^packages/domain/' },
      to: { dependencyTypes: ['core'], path: '^(fs|net|http|https|child_process|dgram)$' },
    },
    {
      name: 'packages-do-not-import-services',
      comment:
        'Shared code cannot depend on a service; services plug into the local cloud through their local.ts.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/local-cloud/src/.*\\.test\\.ts$' },
      to: { path: '^services/' },
    },
    {
      name: 'services-are-independent',
      comment:
        'Services share code through packages/ and values through serverless-compose, never by import.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-runtime-barrel-in-services',
      comment:
        'Services import @app/runtime by entry point (@app/runtime/config, /aws, /observability, /http, ' +
        '/batch...): the root barrel pulls every module into every bundle and its cold start.',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^packages/runtime/src/index\\.ts$' },
    },
    {
      name: 'testing-kit-only-in-tests',
      comment:
        '@app/runtime/testing (Lambda context fake, event builders) is for tests and benches: ' +
        'a function bundle never needs it.',
      severity: 'error',
      from: {
        path: '^(services|packages)/',
        pathNot: ['\\.test\\.ts$', '/testing/', '/test/', '/bench/', '^packages/runtime/src/testing/'],
      },
      to: { path: '^packages/runtime/src/testing/' },
    },
    {
      name: 'resolvable',
      comment: 'Every import resolves (catches case mismatches that pass on macOS).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.esbuild|\\.serverless|\\.build|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
}
