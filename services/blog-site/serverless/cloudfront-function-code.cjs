'use strict'
// `${file(...)}` would execute a .js file; the CloudFront function must go in as its source text.
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

module.exports = () => readFileSync(join(__dirname, '..', 'cloudfront', 'viewer-request.js'), 'utf8')
