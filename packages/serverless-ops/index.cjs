'use strict'
/**
 * The plugin entry osls require()s. The plugin is TypeScript (src/plugin.ts); tsx's scoped require
 * compiles it on load, so a fresh clone needs no build step and nothing is registered globally for
 * the rest of the osls process.
 */
const { require: tsxRequire } = require('tsx/cjs/api')

module.exports = tsxRequire('./src/plugin.ts', __filename).default
