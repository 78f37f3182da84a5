'use strict'
// The viewer-response CloudFront function goes in as its source text (see cloudfront-function-code.cjs).
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

module.exports = () => readFileSync(join(__dirname, '..', 'cloudfront', 'viewer-response.js'), 'utf8')
