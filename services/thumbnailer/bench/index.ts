/**
 * `pnpm bench thumbnailer`: ms per thumbnail (median, p95) and peak RSS for a 24 MP JPEG, a 12 MP
 * JPEG and a large PNG, for our core (`@app/images` makeThumbnail: sharp/libvips), jimp (pure JS)
 * and libvips' own `vipsthumbnail` CLI, side by side in one run; then the ratios against the goals
 * of issue #4 and the Lambda cost per million thumbnails (arm64 price) with its assumptions.
 * Every implementation runs in a fresh process per input so each peak RSS is its own.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { photo } from '@app/images/fixtures'
import { build } from 'esbuild'

const RUNS = { core: 15, vips: 15, jimp: 3, handler: 10, floor: 7 }
const WARMUPS = { core: 2, jimp: 1, handler: 2, floor: 1 }

interface Measured {
  ms: number[]
  maxRssMb: number
  /** Peak RSS minus file-backed pages (Node/libvips binaries): what the work itself allocated. */
  anonPeakMb?: number
  baselineRssMb?: number
  baselineFileMb?: number
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
}
const median = (values: number[]) => quantile(values, 0.5)
const p95 = (values: number[]) => quantile(values, 0.95)

/**
 * The worker is bundled with esbuild and run by plain Node, as Lambda runs the handler: a tsx
 * loader would add ~80 MB to every peak RSS. Native and CommonJS packages stay external, imported
 * by absolute path from where they are installed.
 */
const bundleWorker = async (outDir: string): Promise<string> => {
  const outfile = join(outDir, 'worker.mjs')
  await build({
    entryPoints: [join(import.meta.dirname, 'worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'error',
    plugins: [
      {
        name: 'installed-externals',
        setup(plugin) {
          plugin.onResolve({ filter: /^(sharp|jimp)$/ }, (args) => ({
            path: createRequire(join(args.resolveDir, 'index.js')).resolve(args.path),
            external: true,
          }))
        },
      },
    ],
  })
  return outfile
}

/**
 * The worker's environment: as deployed (serverless.yml sets MALLOC_ARENA_MAX for the function),
 * without what pnpm adds for its own children (NODE_EXTRA_CA_CERTS alone costs ~25 MB of RSS).
 */
const workerEnv = (): NodeJS.ProcessEnv => {
  const { NODE_EXTRA_CA_CERTS: _certs, NODE_PATH: _path, NODE_OPTIONS: _options, ...rest } = process.env
  return { ...rest, MALLOC_ARENA_MAX: '2' }
}

const gnuTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0

/**
 * Runs a contender with peak RSS measured alike for all of them: GNU time's `%M` (ru_maxrss of its
 * child). Only a child forked from a small process can be measured that way: Linux keeps the RSS
 * high-water mark across fork + exec, so a process spawned straight from this bench (which holds the
 * generated images, ~170 MB) reports at least the bench's RSS. That inflated every Node row before.
 */
const timed = (command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const started = performance.now()
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
        ...options,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      })
    : spawnSync(command, args, { ...options, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
  const elapsedMs = performance.now() - started
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`)
  const maxRssMb = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) / 1024 : Number.NaN
  return { stdout: result.stdout, elapsedMs, maxRssMb }
}

let worker = ''
const runWorker = (impl: string, file: string, runs: number, warmups: number): Measured => {
  const { stdout, maxRssMb } = timed(process.execPath, [worker, impl, file, String(warmups), String(runs)], {
    cwd: join(import.meta.dirname, '..'),
    env: workerEnv(),
  })
  const own = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measured & { peakRssMb: number }
  // The worker's own VmHWM is the same quantity (its address space's peak): they must agree.
  if (gnuTime && Math.abs(maxRssMb - own.peakRssMb) > 10) {
    console.log(`WARNING: ${impl}: time says ${maxRssMb.toFixed(0)} MB, VmHWM ${own.peakRssMb.toFixed(0)} MB`)
  }
  return { ...own, maxRssMb: gnuTime ? maxRssMb : own.peakRssMb }
}

const vipsVersion = (() => {
  const result = spawnSync('vipsthumbnail', ['--vips-version'], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
})()

/** The CLI per thumbnail, process start included (that is what using it costs). */
const runVips = (file: string, out: string, runs: number): Measured => {
  const ms: number[] = []
  let maxRssMb = 0
  for (let i = 0; i < runs + 1; i++) {
    const run = timed('vipsthumbnail', [file, '--size', '256x', '-o', `${out}[Q=80,strip]`])
    if (i === 0) continue // warm the page cache
    ms.push(run.elapsedMs)
    maxRssMb = Math.max(maxRssMb, run.maxRssMb)
  }
  return { ms, maxRssMb }
}

const dir = mkdtempSync(join(tmpdir(), 'thumbnailer-bench-'))
try {
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, Node ${process.version}; ` +
      `vipsthumbnail: ${vipsVersion ?? 'NOT INSTALLED'}`,
  )
  if (!vipsVersion) {
    console.log(
      'NOTE: libvips-tools is not installed, so the vipsthumbnail column is empty and the 1.3x goal is not checked.\n' +
        '      Install it with: apt-get update && apt-get install -y libvips-tools',
    )
  }
  worker = await bundleWorker(dir)
  // Camera-like content: a gradient with sensor noise, so file sizes and decode work are realistic.
  const noise = 12
  const inputs = [
    {
      name: '24 MP JPEG',
      file: join(dir, '24mp.jpg'),
      make: () => photo(6000, 4000, 'jpeg', { quality: 90, noise }),
    },
    {
      name: '12 MP JPEG',
      file: join(dir, '12mp.jpg'),
      make: () => photo(4000, 3000, 'jpeg', { quality: 90, noise }),
    },
    // Unfiltered, as sharp writes PNGs by default: the noise leaves deflate little to do (~93% of
    // the raw size), the worst case for every decoder.
    { name: '16 MP PNG', file: join(dir, '16mp.png'), make: () => photo(4096, 4096, 'png', { noise }) },
    // The same pixels as libpng, image editors and phones write PNGs (adaptive row filters): ~58%.
    {
      name: '16 MP PNG filtered',
      file: join(dir, '16mp-filtered.png'),
      make: () => photo(4096, 4096, 'png', { noise, adaptiveFiltering: true }),
    },
    // Both 16 MP PNGs are above the deployed byte cap (25 MiB) and blog-site's upload cap (10 MiB).
    // A PNG that can actually arrive is smoother (a screenshot, a graphic, a low-noise photo): ~9 MB.
    {
      name: '12 MP PNG under 10 MiB',
      file: join(dir, '12mp-small.png'),
      make: () => photo(4000, 3000, 'png', { noise: 1, adaptiveFiltering: true }),
    },
  ]
  for (const input of inputs) writeFileSync(input.file, await input.make())

  const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a')
  const rows: string[][] = [
    ['input', 'implementation', 'median ms', 'p95 ms', 'peak RSS MB', 'of it anon MB', 'runs'],
  ]
  const results: Record<string, Record<string, Measured>> = {}
  for (const input of inputs) {
    const measured: Record<string, Measured> = {
      core: runWorker('core', input.file, RUNS.core, WARMUPS.core),
      jimp: runWorker('jimp', input.file, RUNS.jimp, WARMUPS.jimp),
      ...(vipsVersion ? { vipsthumbnail: runVips(input.file, join(dir, 'out.jpg'), RUNS.vips) } : {}),
      // The deployed work per photo (256 + 1024 px WebP). With MALLOC_ARENA_MAX set (as deployed)
      // sharp keeps libvips' default of one thread per core; it drops to one only when it is unset.
      handler: runWorker('handler', input.file, RUNS.handler, WARMUPS.handler),
      // PNG has no shrink-on-load: what decoding alone costs bounds every implementation.
      ...(input.file.endsWith('.png')
        ? {
            'libvips decode only': runWorker('decode', input.file, RUNS.floor, WARMUPS.floor),
            'node inflate only': runWorker('inflate', input.file, RUNS.floor, WARMUPS.floor),
          }
        : {}),
    }
    results[input.name] = measured
    const label = `${input.name} (${(statSync(input.file).size / 2 ** 20).toFixed(1)} MB)`
    for (const [impl, m] of Object.entries(measured)) {
      rows.push([
        label,
        impl,
        fmt(median(m.ms), 1),
        fmt(p95(m.ms), 1),
        fmt(m.maxRssMb),
        fmt(m.anonPeakMb ?? Number.NaN),
        String(m.ms.length),
      ])
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  console.log(
    '\n256 px wide JPEG q80 per thumbnail (EXIF applied, metadata stripped); "handler" = 256+1024 px WebP per photo',
  )
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '))
  const started = results['24 MP JPEG']?.core
  console.log(
    `(a worker starts at ${fmt(started?.baselineRssMb ?? Number.NaN)} MB RSS with sharp loaded, ` +
      `${fmt(started?.baselineFileMb ?? Number.NaN)} MB of it file-backed (the node binary, libvips), ` +
      "which depends on the page cache; vipsthumbnail's RSS is a fresh C process. Peak RSS is GNU time's %M for " +
      'every row)',
  )

  console.log('\nratios (goals from issue #4)')
  for (const [name, m] of Object.entries(results)) {
    const core = median(m.core!.ms)
    const jimp = median(m.jimp!.ms) / core
    const vips = m.vipsthumbnail ? core / median(m.vipsthumbnail.ms) : Number.NaN
    console.log(
      `${name.padEnd(22)} jimp/core ${fmt(jimp, 1)}x (goal >= 20x ${jimp >= 20 ? 'met' : 'MISSED'}), ` +
        `core/vipsthumbnail ${fmt(vips, 2)}x (goal <= 1.3x ${Number.isNaN(vips) ? 'not checked' : vips <= 1.3 ? 'met' : 'MISSED'})`,
    )
    const decode = m['libvips decode only']
    const inflate = m['node inflate only']
    if (decode && inflate) {
      const floor = median(decode.ms)
      console.log(
        `${''.padEnd(22)} decoding alone is ${fmt((100 * floor) / core)}% of core; jimp/(libvips decode alone) ` +
          `${fmt(median(m.jimp!.ms) / floor, 1)}x is the most any libvips thumbnailer could reach with free resize ` +
          `and encode; Node's inflate alone takes ${fmt((100 * median(inflate.ms)) / median(m.jimp!.ms))}% of jimp's time`,
      )
    }
  }
  const rss24 = results['24 MP JPEG']!.core!.maxRssMb
  console.log(
    `peak RSS for the 24 MP JPEG: ${fmt(rss24)} MB (goal <= 150 MB ${rss24 <= 150 ? 'met' : 'MISSED'})`,
  )

  // Lambda cost, arm64, us-east-1 list prices (first pricing tier).
  const pricePerGbSecond = 0.0000133334
  const pricePerRequest = 0.2 / 1e6
  const memoryMb = 1769
  const batchSize = 5
  const per = (ms: number, thumbnailsPerPhoto: number) => {
    const perPhoto =
      (memoryMb / 1024) * (Math.ceil(ms) / 1000) * pricePerGbSecond + pricePerRequest / batchSize
    return (perPhoto / thumbnailsPerPhoto) * 1e6
  }
  console.log('\ncost per million thumbnails on Lambda (arm64)')
  console.log(
    `assumptions: ${memoryMb} MB (1 vCPU), $${pricePerGbSecond}/GB-s, $0.20 per 1M requests, batch size ${batchSize}, ` +
      'duration = the "handler" median measured here (decode + 256 + 1024 px WebP) with S3/DynamoDB latency and ' +
      "cold starts left out, 2 thumbnails per photo; this machine's core stands in for a Graviton2 core",
  )
  for (const [name, m] of Object.entries(results)) {
    const ms = median(m.handler!.ms)
    console.log(
      `${name.padEnd(22)} ${fmt(ms)} ms per photo -> $${per(ms, 2).toFixed(2)} per million thumbnails`,
    )
  }
  console.log(
    'not included: S3 GET $0.40 + PUT $5.00 per 1M requests (1 GET + 2 PUTs per photo), DynamoDB on-demand ' +
      '1 RRU + 1 WRU per photo, SQS ~1.4 requests per message ($0.40 per 1M), SNS publish $0.50 per 1M',
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
