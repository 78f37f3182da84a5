import { createSendWelcomeHandler } from './create-handler'

/**
 * `sendWelcome`: subscribers stream (INSERTs only) -> one welcome email per new subscriber.
 * Config and AWS clients are set up once per container, at module scope.
 */
export const handler = createSendWelcomeHandler(process.env)
