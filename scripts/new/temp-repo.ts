/**
 * A throw-away copy of the repo for generate.test.ts: the files git would list (tracked, and untracked
 * but not ignored), a `git init` so packaging hashes the same file list as in the source (and reuses
 * its cached templates), and node_modules linked rather than installed: every workspace link is
 * recreated inside the copy (so `@app/runtime` is the copy's), and the package store
 * (`node_modules/.pnpm`) is the source's, read only.
 */
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  })

/** One node_modules folder: its links as they are (relative: into the copy), the store and .bin from the source. */
const linkModules = (source: string, target: string) => {
  mkdirSync(target, { recursive: true })
  for (const entry of readdirSync(source)) {
    const from = join(source, entry)
    const to = join(target, entry)
    const stat = lstatSync(from)
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to)
    else if (entry === '.pnpm') symlinkSync(from, to)
    else if (entry === '.bin') cpSync(from, to, { recursive: true, verbatimSymlinks: true })
    else if (entry.startsWith('@') && stat.isDirectory()) linkModules(from, to)
    else if (!entry.startsWith('.')) symlinkSync(from, to)
  }
}

/** Copies `sourceDir` into `targetDir` (which must not exist) as described above. */
export const copyRepo = (sourceDir: string, targetDir: string) => {
  const files = git(sourceDir, ['ls-files', '-co', '--exclude-standard', '-z']).split('\0').filter(Boolean)
  for (const file of files) {
    const from = join(sourceDir, file)
    if (!existsSync(from)) continue // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(targetDir, file)), { recursive: true })
    copyFileSync(from, join(targetDir, file))
  }
  git(targetDir, ['init', '-q'])
  const workspaces = [
    '.',
    ...['packages', 'services'].flatMap((dir) =>
      readdirSync(join(sourceDir, dir)).map((name) => join(dir, name)),
    ),
  ]
  for (const workspace of workspaces) {
    const modules = join(sourceDir, workspace, 'node_modules')
    if (existsSync(join(targetDir, workspace)) && existsSync(modules))
      linkModules(modules, join(targetDir, workspace, 'node_modules'))
  }
}

/**
 * node_modules for a workspace package `pnpm install` has not linked yet (a generated service):
 * workspace dependencies point at the copy's packages, the others at the version another workspace
 * package of the copy already resolves (what pnpm would pick from the same lockfile ranges).
 */
export const linkNewWorkspace = (rootDir: string, workspace: string) => {
  const manifest = JSON.parse(readFileSync(join(rootDir, workspace, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  const modules = join(rootDir, workspace, 'node_modules')
  const others = ['packages', 'services'].flatMap((dir) =>
    readdirSync(join(rootDir, dir)).map((name) => join(rootDir, dir, name, 'node_modules')),
  )
  for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const to = join(modules, name)
    mkdirSync(dirname(to), { recursive: true })
    if (range.startsWith('workspace:')) {
      const depth = name.split('/').length
      symlinkSync(
        join(...Array<string>(depth + 2).fill('..'), 'packages', name.split('/').at(-1) as string),
        to,
      )
      continue
    }
    const sibling = others
      .map((dir) => join(dir, name))
      .find((path) => existsSync(path) && lstatSync(path).isSymbolicLink())
    if (!sibling) throw new Error(`no workspace package of the copy resolves ${name}`)
    symlinkSync(readlinkSync(sibling), to)
  }
}
