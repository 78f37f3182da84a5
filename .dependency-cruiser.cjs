/**
 * The layering rules of the repo, checked by `pnpm lint`:
 * domain is pure; packages never reach into services; services never reach into each other;
 * every service has the one shape of docs/service-conventions.md ("service-shape-*" rules).
 */

/** Code that is not function code: tests, fakes, benches and `pnpm dev` wiring may do anything. */
const testCode = ['\\.test\\.ts$', '/src/testing/']
/** The entry points of a function folder that may read config and build clients and adapters. */
const handler = '^services/[^/]+/src/functions/[^/]+/handler\\.ts$'
/** The runtime's AWS client factories (`@app/runtime/aws`, `/s3`, `/cloudfront`). */
const clientFactories = '^packages/runtime/src/(aws|s3|cloudfront)/'

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
      name: 'service-shape-layout',
      comment:
        'services/<name>/src holds config.ts, ports.ts, use-cases/, adapters/, api/, functions/<key>/ and ' +
        'testing/ only (docs/service-conventions.md): no feature folders (todos/, jobs/, photo/...), no ' +
        'ports/ folder, no loose modules; in a function folder, no create-handler.ts / sqs-handler.ts / ' +
        'stream-handler.ts (the factory is route.ts, consumer.ts or step.ts).',
      severity: 'error',
      from: {
        path: '^services/[^/]+/src/',
        pathNot: [
          '^services/[^/]+/src/(config|ports)(\\.test)?\\.ts$',
          '^services/[^/]+/src/(use-cases|adapters|api|testing)/[^/]+$',
          '^services/[^/]+/src/functions/[^/]+/[^/]+$',
        ],
      },
      to: {},
    },
    {
      name: 'service-shape-factory-names',
      comment:
        'One file kind per name: the factory of a function is route.ts (HTTP), consumer.ts (SQS, stream, ' +
        'EventBridge) or step.ts (Step Functions task), beside its handler.ts.',
      severity: 'error',
      from: {
        path: '^services/[^/]+/src/.*(create-handler|sqs-handler|stream-handler)\\.ts$',
      },
      to: {},
    },
    {
      name: 'service-shape-config-in-handlers',
      comment:
        "A service's config.ts (its environment schema) and readConfig (@app/runtime/config) are read " +
        'in functions/<key>/handler.ts only: route/consumer/step factories and use cases take ports and ' +
        'plain options, never the environment.',
      severity: 'error',
      from: {
        path: '^services/[^/]+/src/',
        pathNot: [handler, '^services/[^/]+/src/config\\.ts$', ...testCode],
      },
      to: { path: ['^services/[^/]+/src/config\\.ts$', '^packages/runtime/src/config/'] },
    },
    {
      name: 'service-shape-clients-in-handlers',
      comment:
        'AWS clients are created in functions/<key>/handler.ts only (@app/runtime/aws, /s3, /cloudfront ' +
        'factories) and handed to adapters, which take their clients and names as arguments. ' +
        '(@app/runtime/dynamodb also holds adapter helpers, so it is not listed: its client factories ' +
        'are still called from handler.ts only.)',
      severity: 'error',
      from: { path: '^services/[^/]+/src/', pathNot: [handler, ...testCode] },
      to: { path: clientFactories },
    },
    {
      name: 'service-shape-pure-use-cases',
      comment:
        'use-cases/ is application logic over ports: no adapters, no functions, no config, no AWS SDK, ' +
        'no client factories (the adapters implement the ports; handler.ts passes them in).',
      severity: 'error',
      from: { path: '^services/[^/]+/src/use-cases/', pathNot: [...testCode] },
      to: {
        path: [
          '^services/[^/]+/src/(adapters|functions|api)/',
          '^services/[^/]+/src/config\\.ts$',
          '(^|node_modules/)(@aws-sdk|@smithy)(/|$)',
          clientFactories,
          '^packages/runtime/src/(config|dynamodb)/',
        ],
      },
    },
    {
      name: 'service-shape-factories-over-ports',
      comment:
        'route.ts / consumer.ts / step.ts are factories over ports: they never import adapters (or ' +
        'handler.ts); handler.ts builds the adapters and passes them in.',
      severity: 'error',
      from: {
        path: '^services/[^/]+/src/functions/[^/]+/(route|consumer|step)\\.ts$',
      },
      to: { path: ['^services/[^/]+/src/adapters/', '^services/[^/]+/src/functions/[^/]+/handler\\.ts$'] },
    },
    {
      name: 'service-shape-adapters-below-functions',
      comment: 'Adapters implement ports; they never reach up into use cases, functions or the api/ helpers.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/adapters/', pathNot: [...testCode] },
      to: { path: '^services/[^/]+/src/(use-cases|functions|api)/' },
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
    exclude: { path: '(^|/)(\\.esbuild|\\.serverless|\\.build|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
}
