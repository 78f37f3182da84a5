// The fixture loads the plugin the way a service's package.json dependency would resolve it.
module.exports = require('../../../index.cjs')
