import { createUnknownActionRoute } from './route'

/** Nothing to build: no configuration, no clients. */
export const handler = createUnknownActionRoute()
